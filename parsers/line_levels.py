"""The level of each line of a stretch of log, for colouring it: what its format reads on it, else the level
written at its start; a line that continues an event (a stack frame, a wrapped message) takes the event's level."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from parsers.crashes import CONTINUATION, crash_start_level
from parsers.formats import CONTINUES, FORMATS
from parsers.levels import leading_level


def line_levels(lines: Sequence[str], format_names: Iterable[str]) -> list[str]:
    """One level (or '') per line, reading each line with the formats the analysis found, in their order."""
    wanted = list(format_names)
    formats = sorted((fmt for fmt in FORMATS if fmt.name in wanted), key=lambda fmt: wanted.index(fmt.name))
    levels: list[str] = []
    level = ''
    for line in lines:
        crash = crash_start_level(line)
        if crash:
            level = crash
        elif not CONTINUATION.match(line):
            record = next((found for fmt in formats if (found := fmt.parse(line)) is not None), None)
            if record is not CONTINUES:
                level = (record[1] if record else '') or leading_level(line)
        levels.append(level)
    return levels
