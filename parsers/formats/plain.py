"""Lines with no recognizable header: each unindented line is a record; a leading level word is used."""

from __future__ import annotations

import re

from parsers.formats.base import Format, Record
from parsers.levels import LEVEL_OF, SYSLOG_SEVERITY, leading_level

# A level at the start (`ERROR ...`, `[E] ...`) after an optional syslog priority (`<11>`) or sequence number
# (`38 error ...`); else one the message opens with as behind any header (`npm ERR! ...`, `pip WARNING: ...`).
_LEADING_LEVEL = re.compile(
    r'(?:<(?P<pri>\d{1,3})>)?(?:\[(?P<bracketed>[A-Za-z]{1,9})\]|(?:\d+ )?(?P<word>[A-Za-z]{3,9})\]?[:!]?(?=\s))?'
)
_leading = _LEADING_LEVEL.match


def parse(line: str) -> Record | None:
    if not line or line[0] in ' \t':
        return None
    found = _leading(line)
    assert found is not None  # every group is optional
    pri, bracketed, word = found.group('pri', 'bracketed', 'word')
    message = line[found.start('bracketed' if bracketed else 'word'):] if pri and (bracketed or word) else line
    level = LEVEL_OF.get(bracketed or word or '', '')
    if not level:
        level = leading_level(message)
    if pri:
        message = message.removeprefix(f'<{pri}>')
        level = level or SYSLOG_SEVERITY[int(pri) & 7]
    return None, level, None, message


FORMAT = Format(
    name='text',
    parse=parse,
    samples=('ERROR something went wrong', 'service started'),
    weight=0.1,
)
