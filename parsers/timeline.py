"""Events per level over time: one row per minute of the log while it is read, buckets of a readable width at the end.

Timestamps are parsed once per minute, not once per event: a row keeps the raw text of its first event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from parsers.model import LEVELS, Bucket
from parsers.timestamps import parse_timestamp, sort_key

# A row counts the events without a level first, then one count per level.
_NAMES = ('', *LEVELS)
_INDEX = {level: index for index, level in enumerate(_NAMES)}
_STEPS_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200, 525600)


@dataclass(slots=True)
class Row:
    """The events of one minute: the raw timestamp of the first one and how many there were of each level."""

    timestamp: str
    counts: list[int]


class Timeline:
    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    def add(self, timestamp: str, minute_len: int, level: str) -> None:
        """Count an event; `minute_len` leading characters of its timestamp name its minute (0: all of them)."""
        minute = timestamp[: minute_len or None]
        row = self.rows.get(minute)
        if row is None:
            row = self.rows[minute] = Row(timestamp, [0] * len(_NAMES))
        row.counts[_INDEX[level]] += 1

    def absorb(self, rows: dict[str, Row]) -> None:
        """Add the rows of the lines read by another engine."""
        for minute, row in rows.items():
            _add(self.rows.setdefault(minute, Row(row.timestamp, [0] * len(_NAMES))).counts, row.counts)

    def buckets(self, year: int, max_buckets: int) -> tuple[list[Bucket], int]:
        """At most `max_buckets` buckets of a round number of minutes, and that width in seconds."""
        minutes: dict[datetime, list[int]] = {}
        for row in self.rows.values():
            moment = parse_timestamp(row.timestamp, year)
            if moment is None:
                continue
            _add(minutes.setdefault(sort_key(moment).replace(second=0, microsecond=0), [0] * len(_NAMES)), row.counts)
        if not minutes:
            return [], 0
        first, last = min(minutes), max(minutes)
        span = (last - first).total_seconds() / 60 + 1
        step = next((s for s in _STEPS_MINUTES if span / s <= max_buckets), _STEPS_MINUTES[-1])
        buckets: dict[datetime, list[int]] = {}
        for start, counts in minutes.items():
            offset = int((start - first).total_seconds() // 60) // step * step
            _add(buckets.setdefault(first + timedelta(minutes=offset), [0] * len(_NAMES)), counts)
        return [
            Bucket(start, {_NAMES[index] or 'NONE': count for index, count in enumerate(counts) if count})
            for start, counts in sorted(buckets.items())
        ], step * 60


def _add(total: list[int], counts: list[int]) -> None:
    for index, count in enumerate(counts):
        total[index] += count
