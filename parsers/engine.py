"""From lines to an Analysis: the coordinator of the engine's parts.

Lines become events (`events`), events join groups (`grouping`, with `crashes` and `fingerprint`), and each event
counts in the timeline (`timeline`) and in the run of its format (`segments`). Parts of a big file read in parallel
are merged by `merge`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from parsers.events import Event, EventReader
from parsers.formats import Format, Record
from parsers.grouping import Grouping
from parsers.incidents import rank
from parsers.model import Analysis, Group
from parsers.reader import ReadLimits, ReadStats
from parsers.segments import Segments
from parsers.timeline import Timeline
from parsers.timestamps import sort_key

# Called after each chunk with (bytes read so far, events so far).
Progress = Callable[[int, int], None]
# Called once per event with (first line, last line, group id, level, raw timestamp or None): every physical line
# belongs to one.
EventSink = Callable[[int, int, int, str, str | None], None]


class Engine:
    """Reads batches of lines in order and keeps the groups, timeline and segments; `result` summarizes."""

    def __init__(self, limits: ReadLimits, on_event: EventSink | None) -> None:
        self.limits = limits
        self.on_event = on_event
        self.reader = EventReader(self._count, self._count_run, context_lines=limits.context_lines,
                                  max_lines=limits.max_example_lines)
        self.grouping = Grouping(limits, self.reader.example)
        self.timeline = Timeline(limits.timeline_rows)
        self.segments = Segments(limits.max_segments)
        # Lines read by other engines and merged into this one's results.
        self.merged_lines = 0
        # Bound once: _count runs for every event.
        self._group, self._time, self._segment = self.grouping.add, self.timeline.add, self.segments.add

    def feed(self, batch: list[str]) -> None:
        self.reader.feed(batch)

    def close(self) -> None:
        """The log has ended: count the last event and segment."""
        self.reader.close()
        self.segments.close()

    @property
    def lines(self) -> int:
        return self.reader.line_no + self.merged_lines

    @property
    def events(self) -> int:
        return self.grouping.events

    def result(self, stats: ReadStats) -> Analysis:
        self.close()
        year = datetime.now(UTC).year
        groups = self.grouping.groups(year)
        seen = _one_kind_of_time(groups)
        times = self.timeline.times(year, self.limits.timeline_buckets, self.limits.activity_slices,
                                    {group.id: group.level for group in groups})
        for group in groups:
            group.activity = times.group_activity.get(group.id, [])
        analysis = Analysis(
            lines=self.lines,
            events=self.events,
            level_counts=self.grouping.level_counts(),
            inferred_level_counts=self.grouping.level_counts('inferred'),
            formats=self.segments.formats,
            groups=groups,
            first_timestamp=min(seen) if seen else None,
            last_timestamp=max(seen) if seen else None,
            truncated_lines=stats.truncated_lines,
            bytes_read=stats.bytes_read,
            timeline=times.buckets,
            timeline_step_seconds=times.step_seconds,
            segments=self.segments.segments,
            activity=times.activity,
        )
        rank(analysis)
        return analysis

    def _count(self, event: Event) -> None:
        group = self._group(event)
        ts = event.timestamp
        if ts is not None:
            self._time(ts, event.format.minute_len, group.id)
        self._segment(event)
        if self.on_event is not None:
            self.on_event(event.first, event.last, group.id, event.level, ts)

    def _count_run(self, fmt: Format, first: int, records: list[Record]) -> None:
        group_ids = self.grouping.add_run(fmt, first, records, self.timeline)
        last = first + len(records) - 1
        self.segments.add_run(fmt, first, last, len(records))
        if self.on_event is not None:
            tallies = self.grouping.tallies
            lines = range(first, last + 1)
            for line_no, record, group_id in zip(lines, records, group_ids, strict=True):
                # An event's level is its group's.
                self.on_event(line_no, line_no, group_id, tallies[group_id - 1].group.level, record[0])


def _one_kind_of_time(groups: list[Group]) -> list[datetime]:
    """The groups' times, of one kind so that any two compare and subtract: as the log writes them when all are
    naive or all carry the same offset; otherwise all in UTC, those written without a zone read as UTC (as the
    timeline orders them)."""
    seen = [moment for group in groups for moment in (group.first_seen, group.last_seen) if moment]
    if len({moment.utcoffset() for moment in seen}) > 1:
        for group in groups:
            group.first_seen = group.first_seen and _utc(group.first_seen)
            group.last_seen = group.last_seen and _utc(group.last_seen)
        seen = [_utc(moment) for moment in seen]
    return seen


def _utc(moment: datetime) -> datetime:
    return sort_key(moment).astimezone(UTC)
