"""From raw bytes to grouped events: format detection per segment, multi-line events, templates, summary."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from parsers import wrappers
from parsers.continuation import CHAINED, CONTINUATION, CRASH_START, TRACEBACK
from parsers.examples import condense
from parsers.fingerprint import Crash, fingerprint
from parsers.formats import CONTINUES, Format, Record, detect, plain
from parsers.incidents import rank
from parsers.masking import mask
from parsers.model import ERROR_LEVELS, LEVELS, Analysis, Bucket, Group, Segment
from parsers.reader import ReadLimits, ReadStats
from parsers.templates import TemplateMiner
from parsers.timestamps import parse_timestamp, sort_key

# Called after each chunk with (bytes read so far, events so far).
Progress = Callable[[int, int], None]
# Called once per event with (first line, last line, group id, level, raw timestamp or None): every physical line
# belongs to one.
EventSink = Callable[[int, int, int, str, str | None], None]

SAMPLE_LINES = 400
# After this many lines that no format reads, the format is detected again from what follows.
RELEARN_AFTER = 200
# Timeline rows: [raw timestamp, events without a level, then one count per level].
_LEVEL_INDEX = {level: index for index, level in enumerate(('', *LEVELS), start=1)}
_STEPS_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200, 525600)

# Indexes into the list that holds the event being assembled (a list: cheaper than an object per line).
# [first line, last line, raw timestamp, level, component, message, format, lines or None, context or None]
Event = list[Any]
_FIRST, _LAST, _TS, _LEVEL, _COMP, _MSG, _FMT, _LINES, _CONTEXT = range(9)
# Line openings remembered with the format that read them, so interleaved formats cost one lookup.
MAX_PREFIXES = 10_000
MAX_CACHED_TRACE = 8192
# Each context line kept is cut to this many characters.
MAX_CONTEXT_CHARS = 1000
_DIGITS = re.compile(r'0x[0-9a-fA-F]+|\d+').sub


@dataclass(frozen=True, slots=True)
class Partial:
    """What an engine read, ready to be absorbed by the engine that read the lines before."""

    lines: int
    formats: dict[str, int]
    segments: list[Segment]
    timeline: dict[str, list[Any]]
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
        self.miner = TemplateMiner(limits.similarity, limits.template_cache_size, limits.max_groups)
        self.line_no = 0
        self.ranked: list[Format] = []
        self.fmt: Format = plain.FORMAT
        self.unwrapping = False
        self.event: Event | None = None
        self.by_prefix: dict[str, Format] = {}
        self.crashes: dict[str, Crash | None] = {}
        self.max_occurrences = limits.max_occurrences
        self.force_continue = False
        # The context lines, the event's own line and the line that closed it.
        self.recent: deque[str] = deque(maxlen=limits.context_lines + 2)
        self.at_end = False
        self.groups: dict[tuple[object, ...], _Tally] = {}
        self.by_id: list[_Tally] = []
        self.timeline: dict[str, list[Any]] = {}
        self.segments: list[Segment] = []
        self.segment: list[Any] = []
        self.formats: dict[str, int] = {}

    # -- reading -------------------------------------------------------------------------------------------

    def feed(self, batch: list[str]) -> None:
        if not self.ranked:
            self._detect(batch)
        if self.unwrapping:
            for line in batch:
                self.line_no += 1
                self.recent.append(line)
                self._other(line, None)
            return
        # The hot loop: locals only, one parse per line, the slow path only for lines the format does not open.
        fmt = self.fmt
        parse = _never if fmt is plain.FORMAT else fmt.parse
        remember = self.recent.append
        finish = self._finish
        by_prefix = self.by_prefix
        line_no = self.line_no
        event = self.event
        max_lines = self.limits.max_example_lines
        for line in batch:
            line_no += 1
            remember(line)
            record = parse(line)
            if record is None:
                head = line[:1]
                if (head == '\t' or head == ' ') and event is not None and event[_LINES] is not None:
                    # An indented line (a stack frame) only ever continues the event being read.
                    event[_LAST] = line_no
                    if len(event[_LINES]) < max_lines:
                        event[_LINES].append(line)
                    continue
                other = by_prefix.get(line[:4])
                if other is not None and other is not fmt:
                    record = other.parse(line)
                    if record is not None and record is not CONTINUES:
                        self.fmt = fmt = other
                        parse = other.parse
            if record is not None and record is not CONTINUES:
                if event is not None:
                    finish(event)
                event = [line_no, line_no, *record, fmt, None, None]
                continue
            self.line_no, self.event = line_no, event
            self._other(line, record)
            event = self.event
            if self.fmt is not fmt:
                fmt = self.fmt
                parse = _never if fmt is plain.FORMAT else fmt.parse
        self.line_no, self.event = line_no, event

    def _detect(self, batch: list[str]) -> None:
        sample = [line for line in batch[:SAMPLE_LINES * 4] if line.strip()][:SAMPLE_LINES]
        unwrapped = [wrappers.unwrap(line) for line in sample]
        if sample and sum(1 for item in unwrapped if item is not None) >= 0.8 * len(sample):
            self.unwrapping = True
            sample = [item[0] for item in unwrapped if item is not None]
        self.ranked = detect(sample)
        self.fmt = self.ranked[0] if self.ranked[0].score(sample) > 0 else plain.FORMAT

    def _other(self, line: str, record: Record | None) -> None:
        """Every line the current format does not open a record with: wrappers, continuations, other formats."""
        wrap_ts = None
        if self.unwrapping or (record is None and (line[:1] == '{' or line[:4].isdigit())):
            inner = wrappers.unwrap(line)
            if inner is not None:
                self.unwrapping = True
                line, wrap_ts, partial = inner
                forced = self.force_continue
                self.force_continue = partial
                if forced and self.event is not None:
                    self._continue(line)
                    return
                record = self.fmt.parse(line)
            elif self.unwrapping:
                self.unwrapping = self.force_continue = False
        if record is CONTINUES:
            self._continue(line)
            return
        if record is None:
            record = self._record_elsewhere(line)
            if record is None:
                self._continue(line)
                return
        if self.event is not None:
            self._finish(self.event)
        self.event = [self.line_no, self.line_no, record[0] or wrap_ts, record[1], record[2], record[3], self.fmt,
                      None, None]

    def _record_elsewhere(self, line: str) -> Record | None:
        event = self.event
        if line.startswith(TRACEBACK):
            if event is not None and self._traceback_continues(event):
                return None
            return None, 'ERROR', None, line
        if CRASH_START.match(line):
            return None, 'FATAL' if line.startswith(('panic', 'fatal')) else 'ERROR', None, line
        if event is not None and CONTINUATION.match(line):
            return None
        for index, fmt in enumerate(self.ranked):
            if fmt is self.fmt or fmt is plain.FORMAT:
                continue
            record = fmt.parse(line)
            if record is not None and record is not CONTINUES:
                self._switch(fmt, index, line)
                return record
        if self.fmt is plain.FORMAT or event is None:
            return plain.FORMAT.parse(line) or (None, '', None, line)
        if self.line_no - event[_FIRST] >= RELEARN_AFTER:
            # A long run of lines nothing reads: a new segment in an unknown format. Learn it from the next chunk.
            self.fmt = plain.FORMAT
            self.ranked = []
            return plain.FORMAT.parse(line)
        return None

    def _switch(self, fmt: Format, index: int, line: str) -> None:
        """Another format read this line: it is current now, tried early, and remembered for lines like it."""
        self.fmt = fmt
        if index:
            self.ranked.insert(0, self.ranked.pop(index))
        if len(self.by_prefix) < MAX_PREFIXES:
            self.by_prefix[line[:4]] = fmt

    def _traceback_continues(self, event: Event) -> bool:
        lines = event[_LINES]
        if lines is not None:
            previous = next((text for text in reversed(lines) if text.strip()), '')
            if previous.startswith(CHAINED):
                return True
            if any(text.startswith(TRACEBACK) for text in lines):
                return False
        return event[_LEVEL] in ('WARN', 'ERROR', 'FATAL') and not event[_MSG].startswith(TRACEBACK)

    def _continue(self, line: str) -> None:
        event = self.event
        if event is None:
            self.event = [self.line_no, self.line_no, None, '', None, line, plain.FORMAT, None, None]
            return
        event[_LAST] = self.line_no
        lines = event[_LINES]
        if lines is None:
            recent = list(self.recent)
            # The header and this line are already in `recent`: the context is what came before them.
            event[_CONTEXT] = recent[:-2]
            event[_LINES] = [recent[-2] if len(recent) >= 2 else '', line]
        elif len(lines) < self.limits.max_example_lines:
            lines.append(line)

    # -- events and groups ---------------------------------------------------------------------------------

    def _finish(self, event: Event) -> None:
        first, last, ts, level, _, msg, fmt, lines, _ = event
        crash = None
        if lines is not None:
            if fmt.assemble is not None:
                ts, level, event[_COMP], msg = fmt.assemble(lines)
                event[_MSG] = msg
            crash = self._crash(lines)
        if crash is not None:
            if not level or (level in ('TRACE', 'DEBUG', 'INFO') and msg.startswith(TRACEBACK)):
                level = 'ERROR'
            key: tuple[object, ...] = (level, self.miner.add(msg).id, crash.fingerprint)
        elif fmt.exact:
            key = (level, msg)
        else:
            key = (level, self.miner.add(msg).id)
        if lines is not None and crash is None and fmt.assemble is None:
            body = _body_shape(lines)
            if body:
                key = (*key, body)
        tally = self.groups.get(key)
        if tally is None:
            if fmt.exact and len(self.groups) >= self.limits.max_groups:
                # Too many routes to keep apart: the rest share one group per method and status.
                key = (level, f'{msg.partition(" ")[0]} <*> {msg.rpartition(" ")[2]}')
                tally = self.groups.get(key)
            if tally is None:
                tally = self._new_group(key, event, level, crash)
        group = tally.group
        group.count += 1
        group.lines += last - first + 1
        if group.count <= self.max_occurrences:
            group.occurrences.append(first)
        if ts is not None:
            tally.last_ts = ts
            if tally.first_ts is None:
                tally.first_ts = ts
            minute = ts[: fmt.minute_len or None]
            row = self.timeline.get(minute)
            if row is None:
                row = self.timeline[minute] = [ts, 0, 0, 0, 0, 0, 0, 0]
            row[_LEVEL_INDEX[level]] += 1
        segment = self.segment
        if segment and segment[2] is fmt:
            segment[1] = last
            segment[3] += 1
        else:
            self._close_segment()
            self.segment = [first, last, fmt, 1]
        if self.on_event is not None:
            self.on_event(first, last, group.id, level, ts)

    def _crash(self, lines: list[str]) -> Crash | None:
        # Traces repeat: the same frames with other values in the messages. Cache on the masked trace.
        key = _DIGITS('', '\n'.join(lines[1:]) if len(lines) > 1 else lines[0])
        if key in self.crashes:
            return self.crashes[key]
        crash = fingerprint(lines)
        if len(self.crashes) < self.limits.template_cache_size and len(key) < MAX_CACHED_TRACE:
            self.crashes[key] = crash
        return crash

    def _new_group(self, key: tuple[object, ...], event: Event, level: str, crash: Crash | None) -> _Tally:
        first, _, _, _, comp, msg, fmt, lines, context = event
        if lines is not None:
            example = condense(lines, self.limits.max_example_chars)
        else:
            # A one-line event is closed by the line after it, except the last one of the log.
            recent = list(self.recent) if self.at_end else list(self.recent)[:-1]
            example, context = (recent[-1] if recent else msg), recent[:-1]
        group = Group(
            id=len(self.by_id) + 1, template='', level=level, count=0, first_line=first,
            example=example[: self.limits.max_example_chars], fingerprint=crash.fingerprint if crash else '',
            context_before=[text[:MAX_CONTEXT_CHARS] for text in context or ()],
            format=fmt.name, component=comp or '', exception=crash.type if crash else '',
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
        self.at_end = True
        if self.event is not None:
            self._finish(self.event)
            self.event = None
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
        return Partial(self.line_no, self.formats, self.segments, self.timeline, groups)

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
        for minute, row in part.timeline.items():
            mine_row = self.timeline.setdefault(minute, [row[0], 0, 0, 0, 0, 0, 0, 0])
            for index in range(1, 8):
                mine_row[index] += row[index]
        for name, count in part.formats.items():
            self.formats[name] = self.formats.get(name, 0) + count
        room = self.limits.max_segments - len(self.segments)
        self.segments.extend(Segment(segment.first_line + offset, segment.last_line + offset, segment.format,
                                     segment.events) for segment in part.segments[:max(room, 0)])
        self.line_no += part.lines

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
        timeline, step = self._timeline(year)
        analysis = Analysis(
            lines=self.line_no,
            events=self.events,
            level_counts=self._level_counts(),
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
        rank(analysis)
        return analysis

    @property
    def events(self) -> int:
        return sum(tally.group.count for tally in self.by_id)

    def _level_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LEVELS, 0)
        for tally in self.by_id:
            if tally.group.level:
                counts[tally.group.level] += tally.group.count
        return counts

    def _template_of(self, tally: _Tally) -> str:
        kind = tally.key[1]
        if isinstance(kind, str):
            return kind
        assert isinstance(kind, int)
        template = self.miner.clusters[kind].template
        if tally.title and template.startswith(('Traceback', 'panic', 'fatal error', 'Exception in thread')):
            # A crash with no log line of its own: its exception line says what happened.
            return mask(tally.title)
        return template

    def _timeline(self, year: int) -> tuple[list[Bucket], int]:
        minutes: dict[datetime, list[int]] = {}
        for row in self.timeline.values():
            moment = parse_timestamp(str(row[0]), year)
            if moment is None:
                continue
            start = sort_key(moment).replace(second=0, microsecond=0)
            counts = minutes.setdefault(start, [0] * 7)
            for index in range(7):
                counts[index] += row[index + 1]
        if not minutes:
            return [], 0
        first, last = min(minutes), max(minutes)
        span = (last - first).total_seconds() / 60 + 1
        step = next((s for s in _STEPS_MINUTES if span / s <= self.limits.timeline_buckets), _STEPS_MINUTES[-1])
        buckets: dict[datetime, list[int]] = {}
        for start, counts in minutes.items():
            offset = int((start - first).total_seconds() // 60) // step * step
            slot = buckets.setdefault(first + timedelta(minutes=offset), [0] * 7)
            for index in range(7):
                slot[index] += counts[index]
        names = ('', *LEVELS)
        return [
            Bucket(start, {names[index] or 'NONE': count for index, count in enumerate(counts) if count})
            for start, counts in sorted(buckets.items())
        ], step * 60


def _body_shape(lines: list[str]) -> str:
    """The opening word of the first unindented line after a record's own: lines no format reads glued to a record
    (another program's output, a banner). Such an event is kept apart from the same record alone, so a rare
    message hidden in a frequent record's continuation still makes a group of its own."""
    for line in lines[1:]:
        if line[:1] not in (' ', '\t', ''):
            return 'then ' + _DIGITS('', line.split(None, 1)[0][:40])
    return ''


def _never(line: str) -> None:
    """The parser of plain text in the hot loop: every line takes the slow path, which knows continuations."""
