"""From raw bytes to grouped events: format detection per segment, multi-line events, templates, summary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from parsers.crashes import TRACEBACK, is_crash_opening
from parsers.events import Event, EventReader
from parsers.fingerprint import Crash, Fingerprints
from parsers.levels import infer_level
from parsers.masking import mask
from parsers.model import ERROR_LEVELS, LEVELS, Analysis, Group, Segment
from parsers.reader import ReadLimits, ReadStats
from parsers.templates import TemplateMiner
from parsers.timeline import Row, Timeline
from parsers.timestamps import parse_timestamp, sort_key

# Called after each chunk with (bytes read so far, events so far).
Progress = Callable[[int, int], None]
# Called once per event with (first line, last line, group id, level, raw timestamp or None): every physical line
# belongs to one.
EventSink = Callable[[int, int, int, str, str | None], None]

# Each context line kept is cut to this many characters.
MAX_CONTEXT_CHARS = 1000


@dataclass(frozen=True, slots=True)
class Partial:
    """What an engine read, ready to be absorbed by the engine that read the lines before."""

    lines: int
    formats: dict[str, int]
    segments: list[Segment]
    timeline: dict[str, Row]
    # (key with the template as words, group, first and last raw timestamp, crash title)
    groups: list[tuple[tuple[object, ...], Group, str | None, str | None, str]]


class _Tally:
    """A group while the log is read: the public Group plus the raw timestamps of its first and last event."""

    __slots__ = ('first_ts', 'group', 'key', 'last_ts', 'title')

    def __init__(self, group: Group, key: tuple[object, ...], title: str = '') -> None:
        self.group = group
        self.key = key
        self.title = title
        self.first_ts: str | None = None
        self.last_ts: str | None = None


class Engine:
    """Reads batches of lines in order and keeps the groups, timeline and segments; `result` summarizes."""

    def __init__(self, limits: ReadLimits, on_event: EventSink | None) -> None:
        self.limits = limits
        self.on_event = on_event
        self.reader = EventReader(self._finish, context_lines=limits.context_lines, max_lines=limits.max_example_lines)
        self.miner = TemplateMiner(limits.similarity, limits.template_cache_size, limits.max_groups)
        self.crash_of = Fingerprints(limits.template_cache_size)
        self.max_occurrences = limits.max_occurrences
        self.groups: dict[tuple[object, ...], _Tally] = {}
        self.by_id: list[_Tally] = []
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
        first, last, ts, level, msg, fmt, lines = (event.first, event.last, event.timestamp, event.level,
                                                   event.message, event.format, event.lines)
        crash = None if lines is None else self.crash_of(lines)
        source = 'written' if level else ''
        if crash is not None:
            if not level or (level in ('TRACE', 'DEBUG', 'INFO') and msg.startswith(TRACEBACK)):
                level, source = 'ERROR', 'inferred'
            key: tuple[object, ...] = (level, self.miner.add(msg).id, crash.fingerprint)
        elif fmt.exact:
            key = (level, msg)
        else:
            cluster = self.miner.add(msg)
            if not level:
                said = cluster.said_level
                if said is None:
                    said = cluster.said_level = infer_level(cluster.tokens)
                if said:
                    level, source = said, 'inferred'
            key = (level, cluster.id)
        tally = self.groups.get(key)
        if tally is None:
            if fmt.exact and len(self.groups) >= self.limits.max_groups:
                # Too many routes to keep apart: the rest share one group per method and status.
                key = (level, f'{msg.partition(" ")[0]} <*> {msg.rpartition(" ")[2]}')
                tally = self.groups.get(key)
            if tally is None:
                tally = self._new_group(key, event, level, source, crash)
        group = tally.group
        group.count += 1
        group.lines += last - first + 1
        if group.count <= self.max_occurrences:
            group.occurrences.append(first)
        if ts is not None:
            tally.last_ts = ts
            if tally.first_ts is None:
                tally.first_ts = ts
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

    def _new_group(self, key: tuple[object, ...], event: Event, level: str, source: str,
                   crash: Crash | None) -> _Tally:
        example, context = self.reader.example(event)
        group = Group(
            id=len(self.by_id) + 1, template='', level=level, count=0, first_line=event.first,
            example=example[: self.limits.max_example_chars], fingerprint=crash.fingerprint if crash else '',
            context_before=[text[:MAX_CONTEXT_CHARS] for text in context],
            format=event.format.name, component=event.component or '', exception=crash.type if crash else '',
            level_source=source,
        )
        tally = _Tally(group, key, crash.title if crash else '')
        self.groups[key] = tally
        self.by_id.append(tally)
        return tally

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
        for tally in self.by_id:
            key = tally.key
            if isinstance(key[1], int):
                key = (key[0], tuple(self.miner.clusters[key[1]].tokens), *key[2:])
            groups.append((key, tally.group, tally.first_ts, tally.last_ts, tally.title))
        return Partial(self.line_no, self.formats, self.segments, self.timeline.rows, groups)

    def absorb(self, part: Partial) -> None:
        """Append the results of the lines that follow this engine's (read by another engine)."""
        self.close()
        offset = self.line_no
        for portable, group, first_ts, last_ts, title in part.groups:
            words = portable[1]
            key = (portable[0], self.miner.add_tokens(list(words)).id, *portable[2:]) if isinstance(words, tuple) \
                else portable
            group.first_line += offset
            group.occurrences = [line + offset for line in group.occurrences]
            tally = self.groups.get(key)
            if tally is None:
                group.id = len(self.by_id) + 1
                tally = _Tally(group, key, title)
                self.groups[key] = tally
                self.by_id.append(tally)
                tally.first_ts = first_ts
            else:
                mine = tally.group
                mine.count += group.count
                mine.lines += group.lines
                room = self.max_occurrences - len(mine.occurrences)
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
        groups = []
        for tally in self.by_id:
            group = tally.group
            key_template = group.template
            group.template = key_template or self._template_of(tally)
            group.first_seen = parse_timestamp(tally.first_ts, year) if tally.first_ts else None
            group.last_seen = parse_timestamp(tally.last_ts, year) if tally.last_ts else None
            groups.append(group)
        groups.sort(key=lambda g: (g.level not in ERROR_LEVELS, -g.count, g.first_line))
        seen = [moment for group in groups for moment in (group.first_seen, group.last_seen) if moment]
        timeline, step = self.timeline.buckets(year, self.limits.timeline_buckets)
        return Analysis(
            lines=self.line_no,
            events=self.events,
            level_counts=self._level_counts(),
            inferred_level_counts=self._level_counts('inferred'),
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
        return sum(tally.group.count for tally in self.by_id)

    def _level_counts(self, source: str | None = None) -> dict[str, int]:
        """Events per level; only those whose level came from `source` when it is given."""
        counts = dict.fromkeys(LEVELS, 0)
        for tally in self.by_id:
            group = tally.group
            if group.level and source in (None, group.level_source):
                counts[group.level] += group.count
        return counts

    def _template_of(self, tally: _Tally) -> str:
        kind = tally.key[1]
        if isinstance(kind, str):
            return kind
        assert isinstance(kind, int)
        template = self.miner.clusters[kind].template
        if tally.title and is_crash_opening(template):
            # A crash with no log line of its own: its exception line says what happened.
            return mask(tally.title)
        return template
