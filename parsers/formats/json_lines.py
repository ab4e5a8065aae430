"""JSON lines (bunyan, pino, structlog, logstash, journalctl -o json, ...): well-known keys give level and message."""

from __future__ import annotations

import json
from typing import Any

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF, SYSLOG_SEVERITY, level_of_number
from parsers.timestamps import epoch_text

_loads = json.loads
_TIME_KEYS = ('time', 'timestamp', 'ts', '@timestamp', '@t', 't', 'date', 'datetime', 'asctime', '__REALTIME_TIMESTAMP')
_LEVEL_KEYS = ('level', 'severity', 'log.level', 'lvl', 'levelname', 'loglevel', 'log_level', '@l', 'status')
_MESSAGE_KEYS = ('msg', 'message', '@m', '@mt', 'event', 'MESSAGE', 'log', 'error', 'err')
_SOURCE_KEYS = ('logger', 'logger_name', 'name', 'component', 'module', 'source', 'SYSLOG_IDENTIFIER', 'caller')


def parse(line: str) -> Record | None:
    if line[:1] != '{':
        return None
    try:
        obj = _loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(obj, dict):
        return None
    return _time_of(obj), _level_of(obj), _text(obj, _SOURCE_KEYS), _message_of(obj)


def _time_of(obj: dict[str, Any]) -> str | None:
    for key in _TIME_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, str) and not value.isdigit():
            return value
        if isinstance(value, (int, float, str)):
            return epoch_text(float(value))
    return None


def _level_of(obj: dict[str, Any]) -> str:
    priority = obj.get('PRIORITY')
    if isinstance(priority, str) and priority.isdigit():
        return SYSLOG_SEVERITY[int(priority) & 7]
    log = obj.get('log')
    value = log.get('level') if isinstance(log, dict) else None
    for key in _LEVEL_KEYS:
        if value is not None:
            break
        value = obj.get(key)
    if isinstance(value, bool):
        return ''
    if isinstance(value, int):
        return level_of_number(value)
    if isinstance(value, str):
        return LEVEL_OF.get(value) or LEVEL_OF.get(value.upper(), '')
    return ''


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
    parse=parse,
    samples=(
        '{"level":50,"time":1764148442101,"pid":1,"hostname":"web-1","msg":"request failed"}',
        '{"timestamp":"2026-11-26T09:14:02.101Z","severity":"WARNING","message":"slow query","ms":812}',
        '{"@timestamp":"2026-11-26T09:14:02Z","log.level":"error","message":"boom","service.name":"api"}',
        '{"__REALTIME_TIMESTAMP":"1764148442101000","PRIORITY":"3","SYSLOG_IDENTIFIER":"app","MESSAGE":"failed"}',
    ),
    minute_len=16,
)
