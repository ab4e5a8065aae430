"""The uploaded log as kept beside its analysis when KEEP_UPLOADS is on: secrets redacted before it is stored."""

from __future__ import annotations

from pathlib import Path

from parsers import ReadLimits
from parsers.reader import iter_lines
from services.diagnosis.redaction import Redactor


def redacted_log(path: Path, limits: ReadLimits) -> str:
    """The uploaded log as kept when KEEP_UPLOADS is on: decoded like the engine reads it, secrets redacted."""
    redactor = Redactor()
    with path.open('rb') as stream:
        return '\n'.join(redactor.redact(line) for line in iter_lines(stream, limits))
