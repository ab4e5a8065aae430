"""JSON lines (bunyan, pino, structlog, logstash, journalctl -o json, ...): well-known keys give level and message."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from parsers.formats.base import Format, Parser, Record
from parsers.levels import (
    JSON_LEVEL_KEYS,
    LEVEL_LETTERS,
    LEVEL_OF,
    LEVEL_WORDS,
    SYSLOG_SEVERITY,
    infer_level,
    level_of_number,
    level_of_status,
    small_severity_scale,
)
from parsers.model import LEVELS
from parsers.timestamps import epoch_text

_loads = json.loads
_decode = json.JSONDecoder().raw_decode
_TIME_KEYS = ('time', 'timestamp', 'ts', '@timestamp', '@t', 't', 'date', 'datetime', 'asctime', '__REALTIME_TIMESTAMP')
_MESSAGE_KEYS = ('msg', 'message', '@m', '@mt', 'event', 'MESSAGE', 'log', 'error', 'err')
# A message key with a text value, read without decoding the object (it may be cut short or follow a header).
_message_value = re.compile(
    r'"(?:' + '|'.join(map(re.escape, _MESSAGE_KEYS)) + r')"\s*:\s*"((?:[^"\\]|\\.)*)"').search
MESSAGE_REACH = 2000
_time_value = re.compile(r'"(?:' + '|'.join(map(re.escape, _TIME_KEYS)) + r')"\s*:\s*"([^"]+)"').search
_SOURCE_KEYS = ('logger', 'logger_name', 'name', 'component', 'module', 'source', 'SYSLOG_IDENTIFIER', 'caller')


def _parser(small: tuple[str, ...]) -> Parser:
    """A parser that reads small numeric levels (0..7) on the scale `small`."""

    def parse(line: str) -> Record | None:
        obj = _object(line)
        if not isinstance(obj, dict):
            return obj
        return _time_of(obj), _level_of(obj, small), _text(obj, _SOURCE_KEYS), _message_of(obj)

    return parse


def _object(line: str) -> dict[str, Any] | Record | None:
    """The line's object; else the record of an object cut short, or None."""
    if line[:1] != '{':
        return None
    try:
        obj = _loads(line)
    except (ValueError, RecursionError):
        try:
            # Text after the object (a stray closing brace) does not hide the record.
            obj = _decode(line)[0]
        except (ValueError, RecursionError):
            return _cut_short(line)
    return obj if isinstance(obj, dict) else None


def _fit(sample: Sequence[str]) -> Format:
    """The format with the scale of the sample's small numeric levels, which differs between applications."""
    seen = []
    for line in sample:
        obj = _object(line)
        if not isinstance(obj, dict):
            continue
        number = _level_value(obj)
        if isinstance(number, int) and not isinstance(number, bool) and 0 <= number < len(SYSLOG_SEVERITY):
            seen.append((number, infer_level(_message_of(obj).split())))
    scale = small_severity_scale(seen)
    return FORMAT if scale is SYSLOG_SEVERITY else replace(FORMAT, parse=_parser(scale))


def _cut_short(line: str) -> Record | None:
    """An object cut off mid-way (its rest on the next line) is still a record, with the time it names."""
    if line[:2] != '{"':
        return None
    found = _time_value(line, 0, 300)
    return (found.group(1) if found else None), '', None, line


def _time_of(obj: dict[str, Any]) -> str | None:
    for key in _TIME_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, dict):
            # Extended JSON (MongoDB): {"$date": "2026-..."} or {"$date": {"$numberLong": "1764148442101"}}.
            value = value.get('$date')
            if isinstance(value, dict):
                value = value.get('$numberLong')
        if isinstance(value, str) and not value.isdigit():
            return value
        if isinstance(value, (int, float, str)):
            return epoch_text(float(value))
    return None


def _level_value(obj: dict[str, Any]) -> Any:
    log = obj.get('log')
    value = log.get('level') if isinstance(log, dict) else None
    for key in JSON_LEVEL_KEYS:
        if value is not None:
            break
        value = obj.get(key)
    return value


def _level_of(obj: dict[str, Any], small: tuple[str, ...]) -> str:
    priority = obj.get('PRIORITY')
    if isinstance(priority, str) and priority.isdigit():
        return SYSLOG_SEVERITY[int(priority) & 7]
    value = _level_value(obj)
    if value is None:
        return _level_elsewhere(obj)
    if isinstance(value, bool):
        return ''
    if isinstance(value, int):
        if 0 <= value < len(SYSLOG_SEVERITY):
            return small[value] if value < len(small) else small[-1]
        # pino and bunyan count 10..60; 100..599 is an HTTP status (`"status": 200`).
        return level_of_status(str(value)) if 100 <= value < 600 else level_of_number(value)
    if isinstance(value, str):
        return LEVEL_OF.get(value) or LEVEL_OF.get(value.upper(), '')
    return ''


def _level_elsewhere(obj: dict[str, Any]) -> str:
    """No usual level key: MongoDB's letter (`"s":"W"`, `"s":"D2"`), a key that ends in `level` (`appLogLevel`), or a
    level word among the record's tags."""
    letter = obj.get('s')
    if isinstance(letter, str) and letter[:1] in LEVEL_LETTERS and (len(letter) == 1 or letter[1:].isdigit()):
        return LEVEL_OF[letter[0]]
    for key, value in obj.items():
        if isinstance(value, str) and key[-5:].lower() == 'level':
            level = LEVEL_OF.get(value) or LEVEL_OF.get(value.upper(), '')
            if level:
                return level
    tags = obj.get('tags')
    if not isinstance(tags, list):
        return ''
    # The most severe one: a tag like `config` or `log` beside `warning` names a topic.
    levels = [LEVEL_OF[tag] for tag in tags if isinstance(tag, str) and tag in LEVEL_WORDS]
    return max(levels, key=LEVELS.index, default='')


def _message_of(obj: dict[str, Any]) -> str:
    for key in _MESSAGE_KEYS:
        value = obj.get(key)
        if isinstance(value, str):
            return value
        if isinstance(value, dict):
            text = value.get('message')
            if isinstance(text, str):
                return text
    # No message: the shape of the record says what kind it is.
    return ' '.join(sorted(obj))


def _text(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str):
            return value
    return None


FORMAT = Format(
    name='json',
    parse=_parser(SYSLOG_SEVERITY),
    fit=_fit,
    samples=(
        '{"level":50,"time":1764148442101,"pid":1,"hostname":"web-1","msg":"request failed"}',
        '{"timestamp":"2026-11-26T09:14:02.101Z","severity":"WARNING","message":"slow query","ms":812}',
        '{"@timestamp":"2026-11-26T09:14:02Z","log.level":"error","message":"boom","service.name":"api"}',
        '{"__REALTIME_TIMESTAMP":"1764148442101000","PRIORITY":"3","SYSLOG_IDENTIFIER":"app","MESSAGE":"failed"}',
    ),
    minute_len=16,
)


def json_message(text: str) -> str:
    """The words a JSON object names as its message (`{"level":"info","msg":"cache warmed",...}`), or ''."""
    found = _message_value(text, 0, MESSAGE_REACH)
    return found.group(1) if found is not None else ''
