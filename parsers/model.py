"""The engine's results: plain data, JSON-ready through to_dict()."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

LEVELS = ('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
ERROR_LEVELS = frozenset({'ERROR', 'FATAL'})


@dataclass(slots=True)
class Group:
    id: int
    template: str
    level: str
    count: int
    first_line: int
    example: str
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    fingerprint: str = ''
    occurrences: list[int] = field(default_factory=list)
    # The physical lines just before the first occurrence (the last one is at first_line - 1).
    context_before: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data['first_seen'] = _iso(self.first_seen)
        data['last_seen'] = _iso(self.last_seen)
        return data


@dataclass(slots=True)
class Analysis:
    lines: int
    events: int
    level_counts: dict[str, int]
    formats: dict[str, int]
    groups: list[Group]
    first_timestamp: datetime | None = None
    last_timestamp: datetime | None = None
    truncated_lines: int = 0
    bytes_read: int = 0

    @property
    def error_groups(self) -> list[Group]:
        return [group for group in self.groups if group.level in ERROR_LEVELS]

    def to_dict(self) -> dict[str, Any]:
        return {
            'lines': self.lines,
            'events': self.events,
            'level_counts': self.level_counts,
            'formats': self.formats,
            'first_timestamp': _iso(self.first_timestamp),
            'last_timestamp': _iso(self.last_timestamp),
            'truncated_lines': self.truncated_lines,
            'bytes_read': self.bytes_read,
            'groups': [group.to_dict() for group in self.groups],
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
