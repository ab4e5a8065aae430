"""From raw bytes to grouped events: format detection per segment, multi-line events, templates, summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parsers.events import Event, EventReader
from parsers.grouping import Grouping
from parsers.model import Analysis, Group, Segment
from parsers.reader import ReadLimits, ReadStats
from parsers.timeline import Row, Timeline
from parsers.timestamps import sort_key

# Called after each chunk with (bytes read so far, events so far).
Progress = Callable[[int, int], None]
# Called once per event with (first line, last line, group id, level, raw timestamp or None): every physical line
# belongs to one.
EventSink = Callable[[int, int, int, str, str | None], None]

@dataclass(frozen=True, slots=True)
class Partial:
    """What an engine read, ready to be absorbed by the engine that read the lines before."""

    lines: int
    formats: dict[str, int]
    segments: list[Segment]
    timeline: dict[str, Row]
    # (key with the template as words, group, first and last raw timestamp, crash title)
    groups: list[tuple[tuple[object, ...], Group, str | None, str | None, str]]


class Engine:
    """Reads batches of lines in order and keeps the groups, timeline and segments; `result` summarizes."""

    def __init__(self, limits: ReadLimits, on_event: EventSink | None) -> None:
        self.limits = limits
        self.on_event = on_event
        self.reader = EventReader(self._finish, context_lines=limits.context_lines, max_lines=limits.max_example_lines)
        self.grouping = Grouping(limits, self.reader.example)
        self.timeline = Timeline()
        self.segments: list[Segment] = []
        self.segment: list[Any] = []
        self.formats: dict[str, int] = {}

    def feed(self, batch: list[str]) -> None:
        self.reader.feed(batch)

    @property
    def line_no(self) -> int:
        return self.reader.line_no

    # -- events and groups ---------------------------------------------------------------------------------

    def _finish(self, event: Event) -> None:
        group = self.grouping.add(event)
        first, last, ts, level, fmt = event.first, event.last, event.timestamp, event.level, event.format
        if ts is not None:
            self.timeline.add(ts, fmt.minute_len, level)
        segment = self.segment
        if segment and segment[2] is fmt:
            segment[1] = last
            segment[3] += 1
        else:
            self._close_segment()
            self.segment = [first, last, fmt, 1]
        if self.on_event is not None:
            self.on_event(first, last, group.id, level, ts)

    def _close_segment(self) -> None:
        if not self.segment:
            return
        first, last, fmt, events = self.segment
        self.formats[fmt.name] = self.formats.get(fmt.name, 0) + events
        if len(self.segments) < self.limits.max_segments:
            self.segments.append(Segment(first, last, fmt.name, events))

    # -- the summary ---------------------------------------------------------------------------------------

    def close(self) -> None:
        """The log has ended: finish the last event and segment."""
        self.reader.close()
        self._close_segment()
        self.segment = []

    def partial(self) -> Partial:
        """This engine's results in a form another engine can absorb (templates as words, not local ids)."""
        self.close()
        groups = []
        for tally in self.grouping.tallies:
            key = tally.key
            if isinstance(key[1], int):
                key = (key[0], tuple(self.grouping.miner.clusters[key[1]].tokens), *key[2:])
            groups.append((key, tally.group, tally.first_ts, tally.last_ts, tally.title))
        return Partial(self.line_no, self.formats, self.segments, self.timeline.rows, groups)

    def absorb(self, part: Partial) -> None:
        """Append the results of the lines that follow this engine's (read by another engine)."""
        self.close()
        offset = self.line_no
        for portable, group, first_ts, last_ts, title in part.groups:
            words = portable[1]
            key = (portable[0], self.grouping.miner.add_tokens(list(words)).id, *portable[2:]) \
                if isinstance(words, tuple) else portable
            group.first_line += offset
            group.occurrences = [line + offset for line in group.occurrences]
            tally = self.grouping.by_key.get(key)
            if tally is None:
                tally = self.grouping.insert(key, group, title)
                tally.first_ts = first_ts
            else:
                mine = tally.group
                mine.count += group.count
                mine.lines += group.lines
                room = self.limits.max_occurrences - len(mine.occurrences)
                mine.occurrences.extend(group.occurrences[:max(room, 0)])
                tally.first_ts = tally.first_ts or first_ts
            tally.last_ts = last_ts or tally.last_ts
        self.timeline.absorb(part.timeline)
        for name, count in part.formats.items():
            self.formats[name] = self.formats.get(name, 0) + count
        room = self.limits.max_segments - len(self.segments)
        self.segments.extend(Segment(segment.first_line + offset, segment.last_line + offset, segment.format,
                                     segment.events) for segment in part.segments[:max(room, 0)])
        self.reader.line_no += part.lines

    def result(self, stats: ReadStats) -> Analysis:
        self.close()
        year = datetime.now(UTC).year
        groups = self.grouping.groups(year)
        seen = [moment for group in groups for moment in (group.first_seen, group.last_seen) if moment]
        timeline, step = self.timeline.buckets(year, self.limits.timeline_buckets)
        return Analysis(
            lines=self.line_no,
            events=self.events,
            level_counts=self.grouping.level_counts(),
            inferred_level_counts=self.grouping.level_counts('inferred'),
            formats=self.formats,
            groups=groups,
            first_timestamp=min(seen, key=sort_key) if seen else None,
            last_timestamp=max(seen, key=sort_key) if seen else None,
            truncated_lines=stats.truncated_lines,
            bytes_read=stats.bytes_read,
            timeline=timeline,
            timeline_step_seconds=step,
            segments=self.segments,
        )

    @property
    def events(self) -> int:
        return self.grouping.events
