"""Events per level and per group over time: one row per second of the log while it is read (per minute once there
are too many), buckets of a width that suits the log's span at the end.

Timestamps are parsed once per row, not once per event: a row keeps the raw text of its first event. A row counts
the events of each group; its counts per level follow at the end from the groups' levels (an event's level is its
group's), so reading an event costs one count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from parsers.model import LEVELS, Activity, Bucket
from parsers.timestamps import parse_timestamps, sort_key

# A bucket counts the events without a level first, then one count per level.
_NAMES = ('', *LEVELS)
_INDEX = {level: index for index, level in enumerate(_NAMES)}
# Bucket widths in seconds: round numbers a clock reads easily, from a second to a year.
STEPS_SECONDS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
                 172800, 604800, 2592000, 31536000)
# Every shape in parsers.timestamps writes its seconds as two digits after a separator, right after the minute.
_SECONDS_LEN = 3


@dataclass(slots=True)
class Row:
    """The events of one second (or minute): the raw timestamp of the first one and how many there were of each
    group (by group id)."""

    timestamp: str
    groups: dict[int, int] = field(default_factory=dict)
    # The key of the row's minute, for when rows are merged into minutes.
    minute: str = ''


@dataclass(frozen=True, slots=True)
class Times:
    """What the timeline says at the end: the buckets and each group's activity."""

    buckets: list[Bucket]
    step_seconds: int
    activity: Activity
    group_activity: dict[int, list[int]]


class Timeline:
    def __init__(self, max_rows: int) -> None:
        self.rows: dict[str, Row] = {}
        self.max_rows = max_rows
        self.by_second = True

    def add(self, timestamp: str, minute_len: int, group_id: int) -> None:
        """Count an event."""
        groups = self.groups_at(timestamp, minute_len)
        groups[group_id] = groups.get(group_id, 0) + 1

    def groups_at(self, timestamp: str, minute_len: int) -> dict[int, int]:
        """The counts per group of the row of a timestamp, for the events at that time to be added to (until the
        next call: a new row may merge the rows into minutes).

        The row's minute ends after the clock's `HH:MM` when it has one (found rather than taken from the format, as
        one format can read timestamps of several shapes), else after `minute_len` characters (0: all)."""
        colon = timestamp.find(':')
        if colon < 0:
            end = minute_len or None
        elif colon > 4 and timestamp[colon - 5] == '/':
            end = colon + 6  # a date that ends in a colon: 26/Nov/2026:09:14:02
        else:
            end = colon + 3
        key = timestamp if end is None else timestamp[:end + _SECONDS_LEN] if self.by_second else timestamp[:end]
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Row(timestamp, {}, timestamp[:end])
            if len(self.rows) > self.max_rows and self.by_second:
                self.by_minute()
                row = self.rows[row.minute]
        return row.groups

    def by_minute(self) -> None:
        """Merge the rows of each minute: a log with more seconds than max_rows is charted to the minute."""
        self.by_second = False
        self.rows = _merged(((row.minute, row) for row in self.rows.values()), {})

    def absorb(self, rows: dict[str, Row], by_second: bool, group_ids: dict[int, int]) -> None:
        """Add the rows of the lines read by another engine, whose group ids become `group_ids[id]` here."""
        if self.by_second and not by_second:
            self.by_minute()
        keep_keys = self.by_second and by_second
        renamed = ((key if keep_keys else row.minute,
                    Row(row.timestamp, {group_ids[old]: n for old, n in row.groups.items()}, row.minute))
                   for key, row in rows.items())
        self.rows = _merged(renamed, self.rows)
        if self.by_second and len(self.rows) > self.max_rows:
            self.by_minute()

    def times(self, year: int, max_buckets: int, activity_slices: int, levels: dict[int, str]) -> Times:
        """At most `max_buckets` non-empty buckets of a round width, and each group's counts over at most
        `activity_slices` slices of the whole span; `levels` holds each group's level."""
        resolution = 1 if self.by_second else 60
        moments: list[tuple[datetime, float, Row]] = []
        rows = self.rows.values()
        for row, moment in zip(rows, parse_timestamps((row.timestamp for row in rows), year), strict=True):
            if moment is not None:
                moments.append((moment, sort_key(moment).timestamp(), row))
        if not moments:
            return Times([], 0, Activity(None, 0), {})
        seconds = [second for _, second, _ in moments]
        step = bucket_step(seconds, max_buckets, resolution)
        first, last = min(seconds), max(seconds)
        slice_step = next((s for s in STEPS_SECONDS if s >= step and last // s - first // s < activity_slices),
                          STEPS_SECONDS[-1])
        first_slice = int(first // slice_step)
        slices = int(last // slice_step) - first_slice + 1
        place_of_level = {group_id: _INDEX[level] for group_id, level in levels.items()}
        buckets: dict[int, list[int]] = {}
        group_activity: dict[int, list[int]] = {}
        for _, second, row in moments:
            bucket = buckets.get(int(second // step))
            if bucket is None:
                bucket = buckets[int(second // step)] = [0] * len(_NAMES)
            place = int(second // slice_step) - first_slice
            for group_id, count in row.groups.items():
                bucket[place_of_level[group_id]] += count
                counts = group_activity.get(group_id)
                if counts is None:  # not setdefault: that would build a list for every row a group has
                    counts = group_activity[group_id] = [0] * slices
                counts[place] += count
        return Times(
            buckets=[Bucket(datetime.fromtimestamp(index * step, UTC),
                            {_NAMES[place] or 'NONE': count for place, count in enumerate(counts) if count})
                     for index, counts in sorted(buckets.items())],
            step_seconds=step,
            activity=Activity(datetime.fromtimestamp(first_slice * slice_step, UTC), slice_step),
            group_activity={group_id: _trimmed(counts) for group_id, counts in group_activity.items()},
        )


def bucket_step(seconds: list[float], max_buckets: int, resolution: int = 1) -> int:
    """The narrowest round width, no finer than `resolution`, that puts these moments in at most `max_buckets`
    non-empty buckets: a two-second paste gets one-second buckets, and a log that spans years with bursts in
    between keeps the bursts' detail for zooming in."""
    distinct = len(set(seconds))
    for step in STEPS_SECONDS:
        # A bucket holds at most step / resolution distinct rows: narrower steps cannot fit, so need not be tried.
        if step < resolution or distinct * resolution > max_buckets * step:
            continue
        if len({int(second // step) for second in seconds}) <= max_buckets:
            return step
    return STEPS_SECONDS[-1]


def coarser(buckets: list[Bucket], step: int, window: tuple[float, float], most: int) -> tuple[int, list[Bucket]]:
    """The buckets inside `window` (seconds since 1970) added into at most `most` buckets of a round width that is a
    multiple of theirs, the empty ones too: for a chart, whose bars must not be wider than what they count, and for
    rates, which finer buckets than the span needs would scatter."""
    span = window[1] - window[0]
    widths = [s for s in STEPS_SECONDS if s >= step and s % step == 0] or [step]
    width = next((s for s in widths if span / s <= most), widths[-1])
    first, last = int(window[0] // width), int((window[1] - 1e-6) // width)
    totals: dict[int, dict[str, int]] = {index: {} for index in range(first, last + 1)}
    for bucket in buckets:
        counts = totals.get(int(sort_key(bucket.start).timestamp() // width))
        if counts is None:
            continue
        for level, count in bucket.counts.items():
            counts[level] = counts.get(level, 0) + count
    return width, [Bucket(datetime.fromtimestamp(index * width, UTC), counts) for index, counts in totals.items()]


def span_of(buckets: list[Bucket], step: int) -> tuple[float, float]:
    """From the first bucket's start to the last one's end, in seconds since 1970."""
    return sort_key(buckets[0].start).timestamp(), sort_key(buckets[-1].start).timestamp() + step


def _merged(rows: Iterable[tuple[str, Row]], into: dict[str, Row]) -> dict[str, Row]:
    """`into` with each row added under its key."""
    for key, row in rows:
        mine = into.get(key)
        if mine is None:
            into[key] = Row(row.timestamp, dict(row.groups), row.minute)
            continue
        for group_id, count in row.groups.items():
            mine.groups[group_id] = mine.groups.get(group_id, 0) + count
    return into


def _trimmed(counts: list[int]) -> list[int]:
    """Without the zeros at the end: the slices after a group's last event are implied."""
    end = len(counts)
    while end and not counts[end - 1]:
        end -= 1
    return counts[:end]
