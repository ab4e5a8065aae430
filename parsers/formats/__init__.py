"""The format registry: every module in this package with a FORMAT is a format; detection is by score."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence

from parsers.formats import generic, plain
from parsers.formats.base import CONTINUES, Format, Parser, Record

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
    scored = [(_score(fmt, lines), fmt) for fmt in candidates]
    scored.sort(key=lambda pair: -pair[0])
    return [fmt for _, fmt in scored] + [plain.FORMAT]


def _score(fmt: Format, lines: list[str]) -> float:
    if not lines:
        return 0.0
    records = [record for record in map(fmt.parse, lines) if record is not None]
    with_level = sum(1 for record in records if record[1])
    return (fmt.weight * len(records) + LEVEL_BONUS * with_level) / len(lines)
