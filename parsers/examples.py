"""An event's lines within a size: when they do not all fit, the ones that say what happened.

A stack trace says where; its messages say what. The root cause of a long Java trace is its last `Caused by:`,
far from the start, so cutting an event at its head loses it: the lines kept are weighed instead, and each run of
lines left out is replaced by one marker line that tells how many (so line numbers still add up).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.incidents import CAUSE_WORDS, ERROR_WORDS

# A line of a stack trace that only says where: a frame, its source line, a "... N more".
_FRAME = re.compile(r'\s+(?:at |File "|\.\.\. \d+ more|/|[\w./*()-]+\(|\S+\.\w+:\d+)|\s{4}\S')


def omitted(count: int) -> str:
    return f'[... {count} line(s) left out ...]'


def condense(lines: Sequence[str], max_chars: int) -> str:
    """The lines joined, within `max_chars` characters: all of them, or the heaviest (see weights) with markers."""
    text = '\n'.join(lines)
    if len(text) <= max_chars:
        return text
    order = sorted(range(len(lines)), key=lambda index: (weight(lines, index), index))
    taken: set[int] = set()
    used = 0
    for index in order:
        cost = len(lines[index]) + 1 + len(omitted(len(lines)))
        if used + cost <= max_chars:
            taken.add(index)
            used += cost
    if not taken:
        return text[:max_chars]
    kept: list[str] = []
    previous = -1
    for index in sorted(taken):
        if index > previous + 1:
            kept.append(omitted(index - previous - 1))
        kept.append(lines[index])
        previous = index
    if previous < len(lines) - 1:
        kept.append(omitted(len(lines) - 1 - previous))
    return '\n'.join(kept)[:max_chars]


def weight(lines: Sequence[str], index: int) -> int:
    """0 for the line that opens the event, then messages that name a cause, a failure, other messages; then the
    first frame under a message and the last line; then other frames; blank lines last."""
    text = lines[index]
    if index == 0:
        return 0
    cause = CAUSE_WORDS.search(text) is not None
    if not _FRAME.match(text):
        if not text.strip():
            return 6
        return 1 if cause else 2 if ERROR_WORDS.search(text) else 3
    if index == len(lines) - 1 or not _FRAME.match(lines[index - 1]):
        return 4
    return 4 if cause else 5
