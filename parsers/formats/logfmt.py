"""logfmt (`time=... level=info msg="..." key=value`), as Go's slog, logrus and Heroku write it."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF, level_of_number
from parsers.timestamps import TS_PATTERNS

_PAIR = re.compile(r'([\w.@-]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)')
_START = re.compile(r'[\w.@-]+=(?:"|[^\s"]*\s+[\w.@-]+=)')
_start = _START.match
# No time key: seconds since 1970 in parentheses or brackets stand for it (auditd's `msg=audit(1485893834.891:1):`).
_bracketed_epoch = re.compile(r'[\[(](' + TS_PATTERNS['epoch'] + r')[:\])]').search
_pairs = _PAIR.findall
# Keys are matched in lower case: OpenTelemetry writes `Timestamp=... SeverityText=INFO Body="..."`.
_TIME_KEYS = ('time', 'ts', 't', 'timestamp', '@timestamp')
_LEVEL_KEYS = ('level', 'lvl', 'severity', 'loglevel', 'severitytext')
_MESSAGE_KEYS = ('msg', 'message', 'body', 'event', 'err', 'error')
# Keys whose value names the kind of record (auditd's `type=SYSCALL msg=audit(...)`): it opens the message, so
# records of different kinds with the same message keep apart.
_KIND_KEYS = ('type', 'kind', 'event_type')
# A line of one pair is a record when its key is one of these (`level=fatal`), not a stray `a=b` in prose.
_KNOWN_KEYS = frozenset((*_TIME_KEYS, *_LEVEL_KEYS, *_MESSAGE_KEYS))


def parse(line: str) -> Record | None:
    if _start(line) is None:
        return None
    fields = {key.lower(): value for key, value in _pairs(line)}
    if len(fields) < 2 and not fields.keys() & _KNOWN_KEYS:
        return None
    ts = next((fields[key] for key in _TIME_KEYS if key in fields), None)
    if ts is None:
        epoch = _bracketed_epoch(line)
        ts = epoch.group(1) if epoch is not None else None
    level = next((fields[key].strip('"') for key in _LEVEL_KEYS if key in fields), '')
    msg = next((fields[key] for key in _MESSAGE_KEYS if key in fields), None)
    if msg is None:
        # No message key: the keys themselves say what kind of record this is.
        msg = ' '.join(key for key in fields if key not in _TIME_KEYS)
    elif msg[:1] == '"':
        msg = msg[1:-1].replace('\\"', '"')
    kind = next((fields[key].strip('"') for key in _KIND_KEYS if key in fields), '')
    if kind:
        msg = f'{kind} {msg}'
    comp = fields.get('logger') or fields.get('component') or fields.get('source')
    # pino-style numbers (`level=50`) count as they do in JSON.
    written = level_of_number(int(level)) if level.isdigit() else LEVEL_OF.get(level, '')
    return (ts.strip('"') if ts else None), written, comp, msg


FORMAT = Format(
    name='logfmt',
    parse=parse,
    samples=(
        'time=2026-11-26T09:14:02.101Z level=error msg="charge failed" order=1842 err="card declined"',
        'ts=2026-11-26T09:14:03Z lvl=info component=api msg=started port=8080',
    ),
    weight=0.97,
    minute_len=16,
)
