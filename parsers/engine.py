"""From raw bytes to grouped events: the analysis pipeline."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from parsers.masking import mask
from parsers.model import ERROR_LEVELS, LEVELS, Analysis, Group
from parsers.reader import ReadLimits, ReadStats, iter_lines

MAX_OCCURRENCES_KEPT = 1000
MAX_EXAMPLE_LINES = 200
CONTEXT_LINES = 20

_LEVEL_WORD = re.compile(
    r'\b(TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|ERR|SEVERE|CRIT(?:ICAL)?|FATAL|PANIC|EMERG|ALERT)\b',
    re.IGNORECASE,
)
_LEVEL_ALIASES = {
    'WARNING': 'WARN', 'NOTICE': 'INFO', 'ERR': 'ERROR', 'SEVERE': 'ERROR',
    'CRIT': 'FATAL', 'CRITICAL': 'FATAL', 'PANIC': 'FATAL', 'EMERG': 'FATAL', 'ALERT': 'FATAL',
}
_ISO_TIMESTAMP = re.compile(r'\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?')
_CONTINUATION = re.compile(
    r'^(?:\s|Traceback \(most recent call last\)|Caused by:|\.\.\. \d+ more|During handling|The above exception'
    r'|[A-Za-z_][\w.]*(?:Error|Exception)\b(?::|$))'
)


@dataclass(slots=True)
class _Event:
    first_line: int
    last_line: int
    level: str
    timestamp: datetime | None
    lines: list[str]
    context_before: list[str]


def analyze_stream(stream: BinaryIO, limits: ReadLimits | None = None) -> Analysis:
    """Read a whole log from a byte stream and return its grouped summary."""
    stats = ReadStats()
    return analyze_lines(iter_lines(stream, limits, stats), stats)


def analyze_lines(lines: Iterable[str], stats: ReadStats | None = None) -> Analysis:
    stats = stats or ReadStats()
    level_counts = dict.fromkeys(LEVELS, 0)
    groups: dict[tuple[str, str], Group] = {}
    line_count = 0
    event_count = 0
    first_ts: datetime | None = None
    last_ts: datetime | None = None

    def finish(event: _Event) -> None:
        nonlocal event_count, first_ts, last_ts
        event_count += 1
        if event.level:
            level_counts[event.level] += 1
        if event.timestamp:
            first_ts = min(first_ts, event.timestamp) if first_ts else event.timestamp
            last_ts = max(last_ts, event.timestamp) if last_ts else event.timestamp
        template = mask(event.lines[0])
        key = (event.level, template)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(
                id=len(groups) + 1, template=template, level=event.level, count=0, first_line=event.first_line,
                example='\n'.join(event.lines[:MAX_EXAMPLE_LINES]), first_seen=event.timestamp,
                context_before=event.context_before,
            )
        group.count += 1
        if len(group.occurrences) < MAX_OCCURRENCES_KEPT:
            group.occurrences.append(event.first_line)
        if event.timestamp:
            group.last_seen = event.timestamp
            group.first_seen = group.first_seen or event.timestamp

    current: _Event | None = None
    recent: deque[str] = deque(maxlen=CONTEXT_LINES)
    for line_count, line in enumerate(lines, start=1):
        context = list(recent)
        recent.append(line)
        if current is not None and (not line.strip() or _CONTINUATION.match(line)):
            current.last_line = line_count
            if len(current.lines) < MAX_EXAMPLE_LINES:
                current.lines.append(line)
            if current.level not in ERROR_LEVELS and line.lstrip().startswith('Traceback'):
                current.level = 'ERROR'
            continue
        if current is not None:
            finish(current)
        current = _Event(line_count, line_count, _level_of(line), _timestamp_of(line), [line], context)
    if current is not None:
        finish(current)

    ranked = sorted(groups.values(), key=lambda g: (g.level not in ERROR_LEVELS, -g.count, g.first_line))
    return Analysis(
        lines=line_count,
        events=event_count,
        level_counts=level_counts,
        formats={'text': line_count} if line_count else {},
        groups=ranked,
        first_timestamp=first_ts,
        last_timestamp=last_ts,
        truncated_lines=stats.truncated_lines,
        bytes_read=stats.bytes_read,
    )


def _level_of(line: str) -> str:
    found = _LEVEL_WORD.search(line, 0, 200)
    if not found:
        return ''
    word = found.group(1).upper()
    return _LEVEL_ALIASES.get(word, word)


def _timestamp_of(line: str) -> datetime | None:
    found = _ISO_TIMESTAMP.search(line, 0, 80)
    if not found:
        return None
    text = found.group(0).replace(',', '.').replace(' ', 'T')
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
