"""The engine's results: plain data, JSON-ready through to_dict() and read back by from_dict()."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from parsers.timestamps import sort_key

LEVELS = ('TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')
ERROR_LEVELS = frozenset({'ERROR', 'FATAL'})
# The shape to_dict() writes. Raise it when a change needs from_dict() to convert older data; data saved before
# versions were written has none and reads as version 1.
# 2: each group's last line and excerpts; groups carry their activity over time (Group.activity, Analysis.activity).
# 3: each kept line once per analysis (`kept_lines`, by number), a group's excerpts as line ranges, and its first
#    occurrence left out where the kept lines hold it: a line near many groups was written once per group.
SCHEMA_VERSION = 3
# The line that stands for lines left out of a shortened example: part of what is saved.
OMITTED = re.compile(r'\[\.\.\. (\d+) line\(s\) left out \.\.\.\]')


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
    # Where the events come from: the format's name and the logger/program/tag when the header names one.
    format: str = ''
    component: str = ''
    # The exception type of a crash group (with `fingerprint` over its type and frames).
    exception: str = ''
    # How incident-like the group is (parsers.incidents), and why: a short code per reason, with plain words.
    incident_score: float = 0.0
    incident_reasons: dict[str, str] = field(default_factory=dict)
    # Physical lines all its events span (a stack trace counts all its lines).
    lines: int = 0
    # 'written' when the log wrote the level, 'inferred' when the message or a crash said it, '' for none.
    level_source: str = ''
    # The first line of its last event (0 when unknown: saved before it was kept).
    last_line: int = 0
    # The log lines around its first occurrences and its last one, as they were: what the log view can show.
    excerpts: list[Excerpt] = field(default_factory=list)
    # Events per slice of Analysis.activity, from its start; the slices after the last non-zero one are left out.
    activity: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data['first_seen'] = _iso(self.first_seen)
        data['last_seen'] = _iso(self.last_seen)
        return data

    def to_stored_dict(self, kept: Mapping[int, str]) -> dict[str, Any]:
        """As to_dict(), within an analysis that writes its kept lines once: an excerpt is a line range where those
        lines are its own, and the first occurrence (`example`, `context_before`) is left out where they hold it."""
        data = self.to_dict()
        data['excerpts'] = [[excerpt.first_line, excerpt.last_line] if _kept_as(kept, excerpt.first_line, excerpt.lines)
                            else data['excerpts'][index] for index, excerpt in enumerate(self.excerpts)]
        example = self.example.split('\n')
        if _kept_as(kept, self.first_line - len(self.context_before), [*self.context_before, *example]):
            del data['example'], data['context_before']
            data['first_occurrence'] = {'lines_before': len(self.context_before), 'lines': len(example)}
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], kept: Mapping[int, str] | None = None) -> Group:
        """The group to_dict() or to_stored_dict() wrote; `kept` is the analysis' kept lines by number."""
        kept = kept or {}
        # Keys this version does not know are left out, so data written by a newer engine still reads.
        known = {each.name for each in fields(cls)}
        values = {name: value for name, value in data.items() if name in known}
        values['first_seen'] = _moment(values.get('first_seen'))
        values['last_seen'] = _moment(values.get('last_seen'))
        if 'first_occurrence' in data:
            before, length = data['first_occurrence']['lines_before'], data['first_occurrence']['lines']
            lines = _kept_range(kept, data['first_line'] - before, data['first_line'] + length - 1)
            values['context_before'], values['example'] = lines[:before], '\n'.join(lines[before:])
        group = cls(**values)
        if 'excerpts' in data:
            group.excerpts = [Excerpt(each['first_line'], list(each['lines'])) if isinstance(each, Mapping)
                              else Excerpt(each[0], _kept_range(kept, each[0], each[1])) for each in data['excerpts']]
        else:  # saved before excerpts were kept: its first occurrence and the lines before it are what it has
            group.excerpts = [first_occurrence(group)]
            if 'last_line' not in data and group.occurrences and len(group.occurrences) >= group.count:
                group.last_line = group.occurrences[-1]
        return group


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Consecutive log lines as they were, the first of them line `first_line`."""

    first_line: int
    lines: list[str]

    @property
    def last_line(self) -> int:
        return self.first_line + len(self.lines) - 1


def kept_lines(groups: list[Group]) -> dict[int, str]:
    """The lines the groups' excerpts keep, by number (a line near several groups is one of them)."""
    kept: dict[int, str] = {}
    for group in groups:
        for excerpt in group.excerpts:
            for number, line in enumerate(excerpt.lines, excerpt.first_line):
                kept.setdefault(number, line)
    return kept


def _kept_as(kept: Mapping[int, str], first_line: int, lines: list[str]) -> bool:
    return all(kept.get(number) == line for number, line in enumerate(lines, first_line))


def _kept_range(kept: Mapping[int, str], first_line: int, last_line: int) -> list[str]:
    try:
        return [kept[number] for number in range(first_line, last_line + 1)]
    except KeyError as exc:
        raise ValueError(f'analysis data names kept line {exc.args[0]} but does not hold it') from exc


def first_occurrence(group: Group) -> Excerpt:
    """A group's first event and the lines before it, numbered; a shortened example keeps only its first line (the
    lines after a `[... left out ...]` marker are not where their place says)."""
    example = group.example.split('\n')
    cut = next((index for index, line in enumerate(example) if OMITTED.match(line)), len(example))
    return Excerpt(group.first_line - len(group.context_before), [*group.context_before, *example[:cut]])


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of consecutive events in one format (a file can hold several)."""

    first_line: int
    last_line: int
    format: str
    events: int


@dataclass(frozen=True, slots=True)
class Bucket:
    """Events per level in one slice of time."""

    start: datetime
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Activity:
    """The slices of time that each group's activity counts in: the same for every group, a few dozen over the
    log's whole span, so a group's counts stay small whatever the log's length."""

    start: datetime | None
    step_seconds: int


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
    timeline: list[Bucket] = field(default_factory=list)
    timeline_step_seconds: int = 0
    segments: list[Segment] = field(default_factory=list)
    # The part of level_counts that no line wrote: inferred from the messages and crashes.
    inferred_level_counts: dict[str, int] = field(default_factory=dict)
    activity: Activity = Activity(None, 0)

    @property
    def error_groups(self) -> list[Group]:
        return [group for group in self.groups if group.level in ERROR_LEVELS]

    def active_groups(self, start: datetime, end: datetime) -> set[int]:
        """The ids of the groups with events between `start` and `end`: seen before its end and after its start, and
        with events in a slice of their activity that overlaps it (to the slice: a group with events early and late
        in a slice counts for all of it). Groups without times are in no stretch of time."""
        begin, finish = sort_key(start), sort_key(end)
        active = set()
        for group in self.groups:
            if group.first_seen is None or group.last_seen is None:
                continue
            if sort_key(group.first_seen) > finish or sort_key(group.last_seen) < begin:
                continue
            if self._active_in_a_slice(group, begin, finish):
                active.add(group.id)
        return active

    def _active_in_a_slice(self, group: Group, begin: datetime, finish: datetime) -> bool:
        slice_start, step = self.activity.start, timedelta(seconds=self.activity.step_seconds)
        if not group.activity or slice_start is None or not step:
            return True  # saved before groups kept their activity: their first and last seen are all there is
        slice_start = sort_key(slice_start)
        return any(count and slice_start + index * step <= finish and slice_start + (index + 1) * step > begin
                   for index, count in enumerate(group.activity))

    def to_dict(self) -> dict[str, Any]:
        kept = kept_lines(self.groups)
        return {
            'schema_version': SCHEMA_VERSION,
            'lines': self.lines,
            'events': self.events,
            'level_counts': self.level_counts,
            'inferred_level_counts': self.inferred_level_counts,
            'formats': self.formats,
            'first_timestamp': _iso(self.first_timestamp),
            'last_timestamp': _iso(self.last_timestamp),
            'truncated_lines': self.truncated_lines,
            'bytes_read': self.bytes_read,
            'timeline_step_seconds': self.timeline_step_seconds,
            'timeline': [{'start': _iso(bucket.start), 'counts': bucket.counts} for bucket in self.timeline],
            'segments': [asdict(segment) for segment in self.segments],
            'activity': {'start': _iso(self.activity.start), 'step_seconds': self.activity.step_seconds},
            'kept_lines': {str(number): kept[number] for number in sorted(kept)},
            'groups': [group.to_stored_dict(kept) for group in self.groups],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        """The Analysis `to_dict()` wrote, from this version or an earlier one; fields added since take their
        defaults. Raises ValueError for data of a newer schema than this code reads."""
        version = data.get('schema_version', 1)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(f'analysis schema version {version!r} is newer than this LogSentry reads')
        # Saved apart from the rest (services.store) and JSON's keys are text: hence the numbers read back here.
        kept = {int(number): line for number, line in data.get('kept_lines', {}).items()}
        return cls(
            lines=data['lines'],
            events=data['events'],
            level_counts=dict(data['level_counts']),
            inferred_level_counts=dict(data.get('inferred_level_counts', {})),
            formats=dict(data['formats']),
            groups=[Group.from_dict(group, kept) for group in data['groups']],
            first_timestamp=_moment(data.get('first_timestamp')),
            last_timestamp=_moment(data.get('last_timestamp')),
            truncated_lines=data.get('truncated_lines', 0),
            bytes_read=data.get('bytes_read', 0),
            timeline=[Bucket(datetime.fromisoformat(bucket['start']), dict(bucket['counts']))
                      for bucket in data.get('timeline', [])],
            timeline_step_seconds=data.get('timeline_step_seconds', 0),
            segments=[Segment(**segment) for segment in data.get('segments', [])],
            activity=_activity(data.get('activity')),
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _activity(data: Mapping[str, Any] | None) -> Activity:
    if not data:  # saved before version 2
        return Activity(None, 0)
    return Activity(_moment(data.get('start')), data.get('step_seconds', 0))


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
