"""Exception fingerprints as Sentry computes them: the exception types plus the normalized stack frames.

The same crash with a different message gets the same fingerprint; a different crash with the same message
does not. Line numbers, addresses and generated names are left out so a redeploy does not split a group.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from parsers.crashes import EXCEPTION, PANIC

MAX_FRAMES = 30
# Longer traces are fingerprinted every time rather than remembered.
MAX_CACHED_TRACE = 8192
_PYTHON_FRAME = re.compile(r'\s+File "(?:.*[/\\])?([^"/\\]+)", line \d+, in (\S+)')
_JAVA_FRAME = re.compile(r'\s+at (?:[\w.$]+/)?([\w.$<>]+)\(')
_NODE_FRAME = re.compile(r'\s+at (?:async )?(?:(\S+) \((?:.*[/\\])?([^/\\:]+)|(?:.*[/\\])?([^/\\:]+):\d+)')
_GO_FRAME = re.compile(r'([\w./*()-]+?)\((?:0x[0-9a-f]+|\.\.\.|, )*[^)]*\)$')
_GENERATED = re.compile(r'\$\$Lambda\$[\w/$]+|\$\d+|0x[0-9a-f]+|\d+')
DIGITS = re.compile(r'0x[0-9a-fA-F]+|\d+').sub


@dataclass(frozen=True, slots=True)
class Crash:
    type: str
    fingerprint: str
    # The line that names the exception shown (type and message), for a title.
    title: str


def fingerprint(lines: Sequence[str]) -> Crash | None:
    """The crash an event's lines describe, or None when they hold no exception or panic."""
    types: list[str] = []
    titles: list[str] = []
    frames: list[str] = []
    in_goroutine = 0
    for line in lines[1:] if len(lines) > 1 else lines:
        found = _PYTHON_FRAME.match(line) or _JAVA_FRAME.match(line)
        if found is not None:
            frames.append('.'.join(part for part in found.groups() if part))
            continue
        found = _NODE_FRAME.match(line)
        if found is not None:
            frames.append(':'.join(part for part in found.groups() if part))
            continue
        if line.startswith('goroutine '):
            in_goroutine += 1
            continue
        if in_goroutine == 1:
            found = _GO_FRAME.match(line)
            if found is not None:
                frames.append(found.group(1))
            continue
        kind = _crash_type(line)
        if kind:
            types.append(kind)
            titles.append(line.strip())
    if not types and lines and (frames or len(lines) > 1):
        kind = _crash_type(lines[0])
        if kind:
            types.append(kind)
            titles.append(lines[0].strip())
    if not types:
        return None
    normalized = [_GENERATED.sub('', frame) for frame in frames[:MAX_FRAMES]]
    digest = hashlib.sha1('\n'.join([*types, *normalized]).encode(), usedforsecurity=False).hexdigest()[:16]
    # Python prints the outermost exception last, Java first: the type shown is the one a person searches for.
    shown = -1 if any(_PYTHON_FRAME.match(line) for line in lines) else 0
    return Crash(type=types[shown], fingerprint=digest, title=titles[shown])


class Fingerprints:
    """fingerprint() with a memory: traces repeat, the same frames with other values in the messages."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._known: dict[str, Crash | None] = {}

    def __call__(self, lines: Sequence[str]) -> Crash | None:
        key = DIGITS('', '\n'.join(lines))
        if key in self._known:
            return self._known[key]
        crash = fingerprint(lines)
        if len(self._known) < self._size and len(key) < MAX_CACHED_TRACE:
            self._known[key] = crash
        return crash


def _crash_type(line: str) -> str:
    found = PANIC.match(line)
    if found is not None:
        return 'panic: runtime error' if found.group(1) else 'panic'
    found = EXCEPTION.match(line)
    return found.group(1) if found is not None else ''
