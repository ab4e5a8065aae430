"""Node.js: pino-pretty (`[time] LEVEL (pid on host): msg`) and winston's simple format (`error: msg`), which .NET's
console logger shares."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF

_PINO = re.compile(
    r'\[(?P<ts>\d{4}-\d\d-\d\d[T ][^\]]+|\d\d:\d\d:\d\d\.\d+)\] (?P<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL)'
    r'(?: \((?P<comp>[^)]*)\))?: (?P<msg>.*)'
)
# .NET's console logger writes the same way with its own words (`fail: App.Worker[0]`, the message indented below).
_WINSTON = re.compile(r'(?P<level>error|warn|info|http|verbose|debug|silly|trce|dbug|fail|crit): (?P<msg>.*)')
_pino = _PINO.match
_winston = _WINSTON.match
_WINSTON_LEVELS = {**LEVEL_OF, 'http': 'DEBUG'}


def parse(line: str) -> Record | None:
    found = _pino(line)
    if found is not None:
        ts, level, comp, msg = found.group('ts', 'level', 'comp', 'msg')
        return ts, LEVEL_OF[level], comp, msg
    found = _winston(line)
    if found is not None:
        level, msg = found.group('level', 'msg')
        return None, _WINSTON_LEVELS[level], None, msg
    return None


FORMAT = Format(
    name='nodejs',
    parse=parse,
    samples=(
        '[2026-11-26 09:14:02.101 +0000] ERROR (1234 on web-1): request failed',
        'error: Unhandled rejection in /api/orders',
        'info: listening on port 3000',
    ),
    weight=0.95,
    minute_len=16,
)
