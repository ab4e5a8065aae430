"""Lines with no recognizable header: each unindented line is a record; a leading level word is used."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF

_LEADING_LEVEL = re.compile(r'\[?([A-Za-z]{3,9})\]?:?\s')
_leading = _LEADING_LEVEL.match


def parse(line: str) -> Record | None:
    if not line or line[0] in ' \t':
        return None
    found = _leading(line)
    level = LEVEL_OF.get(found.group(1), '') if found is not None else ''
    return None, level, None, line


FORMAT = Format(
    name='text',
    parse=parse,
    samples=('ERROR something went wrong', 'service started'),
    weight=0.1,
)
