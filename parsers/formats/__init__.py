"""The format registry: every module in this package with a FORMAT is a format; detection is by score."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import replace

from parsers.formats import generic, plain
from parsers.formats.base import CONTINUES, Format, Parser, Record
from parsers.level_spot import LevelSpot, learn_spot

__all__ = ['CONTINUES', 'FORMATS', 'Format', 'Parser', 'Record', 'detect']


def _discover() -> tuple[Format, ...]:
    found = []
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f'{__name__}.{module.name}')
        fmt = getattr(loaded, 'FORMAT', None)
        if isinstance(fmt, Format) and fmt is not plain.FORMAT:
            found.append(fmt)
    return tuple(sorted(found, key=lambda fmt: (-fmt.weight, fmt.name)))


# Formats with a recognizable header, most precise first; the plain-text fallback is not among them.
FORMATS = _discover()


# What reading a level on every line of the sample adds to a format's score: of two formats that read the same
# lines, the one that sees their levels (`... I CONTROL ...` as a level letter, not a host name) reads them better.
LEVEL_BONUS = 0.15


def detect(sample: Sequence[str]) -> list[Format]:
    """Formats ranked for this sample of lines: the best first, then every other candidate, plain text last."""
    lines = [line for line in sample if line.strip()]
    candidates = [fmt if fmt.fit is None else fmt.fit(lines) for fmt in FORMATS]
    learned = generic.learn(lines)
    if learned is not None:
        candidates.append(learned)
    scored = [_scored(fmt, lines) for fmt in candidates]
    # Of two formats that score the same, the one that leaves less of the lines to their messages reads more of the
    # header (a `component:` before the level that the other takes for the message's first word).
    scored.sort(key=lambda scored_format: (-round(scored_format[0], 9), scored_format[1]))
    return [fmt for _, _, fmt in scored] + [plain.FORMAT]


def _scored(fmt: Format, lines: list[str]) -> tuple[float, int, Format]:
    """The format's score on the lines, the length of the messages it reads and the format, reading the level where
    its messages write it (`<header> I main: ...`) when its header mostly holds none."""
    if not lines:
        return 0.0, 0, fmt
    records = [record for record in map(fmt.parse, lines) if record is not None]
    with_level = sum(1 for record in records if record[1])
    if len(records) * 2 >= len(lines) and with_level * 2 < len(records):
        spot = learn_spot([record[3] for record in records if record is not CONTINUES])
        if spot is not None:
            fmt = replace(fmt, parse=_reading_spot(fmt.parse, spot))
            with_level = sum(1 for record in records if record[1] or spot(record[3]))
    message_length = sum(len(record[3]) for record in records)
    return (fmt.weight * len(records) + LEVEL_BONUS * with_level) / len(lines), message_length, fmt


def _reading_spot(parse: Parser, spot: LevelSpot) -> Parser:
    def read(line: str) -> Record | None:
        record = parse(line)
        if record is None or record[1] or record is CONTINUES:
            return record
        level = spot(record[3])
        return (record[0], level, record[2], record[3]) if level else record

    return read
