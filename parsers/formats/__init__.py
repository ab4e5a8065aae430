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


def detect(sample: Sequence[str]) -> list[Format]:
    """Formats ranked for this sample of lines: the best first, then every other candidate, plain text last."""
    scored = [(fmt.score(sample), fmt) for fmt in FORMATS]
    learned = generic.learn(sample)
    if learned is not None:
        scored.append((learned.score(sample), learned))
    scored.sort(key=lambda pair: -pair[0])
    return [fmt for _, fmt in scored] + [plain.FORMAT]
