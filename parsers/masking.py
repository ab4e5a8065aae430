"""Mask the variable parts of a message so that events differing only in values share a template."""

from __future__ import annotations

import re

_MASKS = (
    (re.compile(r'\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?'), '<TS>'),
    (re.compile(r'\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b'), '<UUID>'),
    (re.compile(r'\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b'), '<IP>'),
    (re.compile(r'\b0x[0-9a-fA-F]+\b|\b[0-9a-fA-F]*\d[0-9a-fA-F]*[a-fA-F][0-9a-fA-F]*\b'), '<HEX>'),
    (re.compile(r'(?:/[\w.-]+){2,}/?'), '<PATH>'),
    (re.compile(r'"[^"]*"|\'[^\']*\''), '<STR>'),
    (re.compile(r'\b\d+(?:\.\d+)?(?:ms|s|us|µs|ns|m|h|KB|MB|GB|B)?\b'), '<NUM>'),
)


def mask(message: str) -> str:
    for pattern, placeholder in _MASKS:
        message = pattern.sub(placeholder, message)
    return message
