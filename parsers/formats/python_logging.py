"""Python logging: basicConfig (`ERROR:name:message`) and the usual asctime layouts."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF

_LEVEL = r'(?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)'
_BASIC = re.compile(_LEVEL + r':(?P<comp>[^:\s]*):(?P<msg>.*)')
_ASCTIME = re.compile(
    r'\[?(?P<ts>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?)\]?(?: -)? '
    r'(?:(?P<comp>[\w.-]+) - )?' + _LEVEL + r':?(?: -)? +(?:\[(?P<comp2>[\w.-]+)\] +)?(?:- )?(?P<msg>.*)'
)
_basic = _BASIC.match
_asctime = _ASCTIME.match


def parse(line: str) -> Record | None:
    found = _asctime(line)
    if found is not None:
        ts, level, comp, comp2, msg = found.group('ts', 'level', 'comp', 'comp2', 'msg')
        return ts, LEVEL_OF[level], comp or comp2, msg
    found = _basic(line)
    if found is not None:
        level, comp, msg = found.group('level', 'comp', 'msg')
        return None, LEVEL_OF[level], comp, msg
    return None


FORMAT = Format(
    name='python',
    parse=parse,
    samples=(
        'ERROR:app.db:could not connect to server',
        '2026-11-26 09:14:02,101 - app.db - WARNING - retrying in 2s',
        '2026-11-26 09:14:02,101 INFO [web.server] Starting web server on 0.0.0.0:8000',
    ),
    weight=0.98,
    minute_len=16,
)
