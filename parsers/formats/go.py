"""Go: the standard `log` package (`2026/11/26 09:14:02 message`) and zap's console encoder (tab separated)."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF

_STDLIB = re.compile(
    r'(?P<ts>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)?) (?:(?P<comp>[\w.-]+\.go:\d+): )?'
    r'(?:\[?(?P<level>[A-Za-z]+)\]?:? (?=\S))?(?P<msg>.*)'
)
_ZAP = re.compile(
    r'(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\t(?P<level>[A-Za-z]+)\t'
    r'(?:(?P<comp>[^\t]+)\t)??(?P<msg>[^\t]*)'
)
_stdlib = _STDLIB.match
_zap = _ZAP.match


def parse(line: str) -> Record | None:
    found = _zap(line) or _stdlib(line)
    if found is None:
        return None
    ts, level, comp, msg = found.group('ts', 'level', 'comp', 'msg')
    normalized = LEVEL_OF.get(level, '') if level and len(level) > 2 else ''
    if level and not normalized:
        # The word after the time was not a level: it belongs to the message.
        msg = line[found.start('level') - (line[found.start('level') - 1] == '['):]
    return ts, normalized, comp, msg


FORMAT = Format(
    name='go',
    parse=parse,
    samples=(
        '2026/11/26 09:14:02 listening on :8080',
        '2026/11/26 09:14:02 main.go:42: [ERROR] dial tcp 10.0.0.2:5432: connect: connection refused',
        '2026-11-26T09:14:02.101Z\tERROR\tpayments\tcharge failed\t{"order": 1842}',
    ),
    weight=0.9,
    minute_len=16,
)
