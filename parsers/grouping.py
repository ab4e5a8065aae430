"""Events into groups: by template and level, a crash by its fingerprint too, an access line by its masked request.

Also decides the level of an event whose log writes none, from its crash or its message's words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from parsers.crashes import TRACEBACK, is_crash_opening
from parsers.events import Event
from parsers.examples import condense
from parsers.fingerprint import DIGITS, Crash, Fingerprints
from parsers.formats import Format, Record
from parsers.levels import infer_level
from parsers.masking import mask
from parsers.model import ERROR_LEVELS, LEVELS, Group
from parsers.reader import ReadLimits
from parsers.templates import TemplateMiner
from parsers.timeline import Timeline
from parsers.timestamps import Chronology, parse_timestamp

# After every ASCII character: the minute's text plus it bounds every time written in that minute.
_MINUTE_END = '\x7f'
# Each context line kept is cut to this many characters.
MAX_CONTEXT_CHARS = 1000
# An event's example text and the lines before it.
Example = Callable[[Event], tuple[str, list[str]]]
# (level, template id, crash fingerprint), (level, template id) or, for formats grouped exactly, (level, message).
Key = tuple[object, ...]


class Tally:
    """A group while the log is read: the public Group plus the raw timestamps of its earliest and latest event."""

    __slots__ = ('first_ts', 'group', 'key', 'last_ts', 'minute_end', 'title')

    def __init__(self, group: Group, key: Key, title: str = '') -> None:
        self.group = group
        self.key = key
        # The line naming a crash's exception.
        self.title = title
        self.first_ts: str | None = None
        self.last_ts: str | None = None
        # Above every time written in the minute of last_ts ('' before the first): a time between the two is the
        # latest without parsing, by two comparisons of text.
        self.minute_end = ''


class Grouping:
    def __init__(self, limits: ReadLimits, example: Example) -> None:
        self.limits = limits
        self.max_occurrences = limits.max_occurrences
        self.example = example
        self.miner = TemplateMiner(limits.similarity, limits.template_cache_size, limits.max_groups)
        self.crash_of = Fingerprints(limits.template_cache_size)
        self.by_key: dict[Key, Tally] = {}
        self.chronology = Chronology(datetime.now(UTC).year)
        # In the order they were found: a group's id is its place here plus one.
        self.tallies: list[Tally] = []

    def add(self, event: Event) -> Group:
        """Count an event in its group; an event without a level gets the one its crash or its words say."""
        level, fmt, lines = event.level, event.format, event.lines
        crash = None
        inferred = False
        if lines is not None and (crash := self.crash_of(lines)) is not None:
            if not level or (level in ('TRACE', 'DEBUG', 'INFO') and event.message.startswith(TRACEBACK)):
                level, inferred = 'ERROR', True
            key: Key = (level, self.miner.add(event.message).id, crash.fingerprint)
        else:
            key, said = self._key(level, fmt, event.message, event.component)
            if said:
                level, inferred = said, True
        if lines is not None and crash is None and fmt.assemble is None and (body := _body_shape(lines)):
            key = (*key, body)
        event.level = level
        tally = self.by_key.get(key)
        if tally is None:
            tally = self._tally_for(event, key, 'inferred' if inferred else 'written' if level else '', crash)
        self._count(tally, event.first, event.last, event.timestamp, fmt.minute_len)
        return tally.group

    def add_run(self, fmt: Format, first: int, records: list[Record], timeline: Timeline) -> list[int]:
        """Count one-line events of one format, on the lines from `first` on, in their groups and in the timeline:
        the group id of each."""
        by_key, key_of, see, groups_at = self.by_key, self._key, self.see, timeline.groups_at
        exact, minute_len, max_occurrences = fmt.exact, fmt.minute_len, self.max_occurrences
        ids: list[int] = []
        line_no = first - 1
        # The timeline's counts of the latest time: events of one second follow each other, one lookup for all.
        last_ts: str | None = None
        at_time: dict[int, int] = {}
        for record in records:
            line_no += 1
            ts, level, _, message = record
            if exact:
                key: Key = (level, message)
            else:
                key, said = key_of(level, fmt, message, record[2])
                if said:
                    level = said
            tally = by_key.get(key)
            if tally is None:
                event = Event(line_no, line_no, ts, level, record[2], message, fmt)
                tally = self._tally_for(event, key, 'inferred' if level != record[1] else 'written' if level else '',
                                        None)
            # _count and Timeline.add inlined: this loop counts most events.
            group = tally.group
            count = group.count = group.count + 1
            group.lines += 1
            group.last_line = line_no
            if count <= max_occurrences:
                group.occurrences.append(line_no)
            group_id = group.id
            if ts is not None:
                if ts < tally.minute_end and ts >= (tally.last_ts or ''):
                    tally.last_ts = ts
                else:
                    see(tally, ts, minute_len)
                if ts != last_ts:
                    at_time, last_ts = groups_at(ts, minute_len), ts
                at_time[group_id] = at_time.get(group_id, 0) + 1
            ids.append(group_id)
        return ids

    def _key(self, level: str, fmt: Format, message: str, component: str | None) -> tuple[Key, str]:
        """The key of an event that is not a crash, and the level its words say when its log writes none."""
        if fmt.exact:
            return (level, message), ''
        cluster = self.miner.add(message)
        if component and component.isalpha() and cluster.valueless:
            # A message of values alone after a word read as the component (`Updated: pkg-1.2`): that word says
            # what happened.
            cluster = self.miner.add(f'{component}: {message}')
        said = ''
        if not level:
            known = cluster.said_level
            if known is None:
                known = cluster.said_level = infer_level(cluster.tokens)
            said = known
        return (said or level, cluster.id), said

    def _count(self, tally: Tally, first: int, last: int, ts: str | None, minute_len: int) -> None:
        group = tally.group
        group.count += 1
        group.lines += last - first + 1
        group.last_line = first
        if group.count <= self.max_occurrences:
            group.occurrences.append(first)
        if ts is not None:
            if ts < tally.minute_end and ts >= (tally.last_ts or ''):
                tally.last_ts = ts  # later in the minute of the latest time so far, the usual case: no call
            else:
                self.see(tally, ts, minute_len)

    def see(self, tally: Tally, ts: str, minute_len: int) -> None:
        """Keep the group's earliest and latest time: a log is not always in time order."""
        last = tally.last_ts
        if last is None or tally.first_ts is None:
            tally.first_ts = tally.last_ts = last = ts
        elif ts != last:
            if self.chronology.later(ts, last, minute_len):
                tally.last_ts = last = ts
            elif self.chronology.later(tally.first_ts, ts, minute_len):
                tally.first_ts = ts
        tally.minute_end = last[:minute_len] + _MINUTE_END if minute_len else ''

    def _tally_for(self, event: Event, key: Key, source: str, crash: Crash | None) -> Tally:
        """The group of an event whose key has none yet: a new one, or for too many exact keys a shared one."""
        level, fmt, msg = event.level, event.format, event.message
        if fmt.exact and len(self.by_key) >= self.limits.max_groups:
            # Too many routes to keep apart: the rest share one group per method and status.
            key = (level, f'{msg.partition(" ")[0]} <*> {msg.rpartition(" ")[2]}')
            tally = self.by_key.get(key)
            if tally is not None:
                return tally
        example, context = self.example(event)
        if event.lines is not None:  # the lines that say what happened, when the whole is too long
            example = condense(event.lines, self.limits.max_example_chars)
        return self.insert(key, Group(
            id=0, template='', level=level, count=0, first_line=event.first,
            example=example[: self.limits.max_example_chars],
            fingerprint=crash.fingerprint if crash else '',
            context_before=[text[:MAX_CONTEXT_CHARS] for text in context],
            format=fmt.name, component=event.component or '', exception=crash.type if crash else '',
            level_source=source,
        ), crash.title if crash else '')

    def insert(self, key: Key, group: Group, title: str) -> Tally:
        """A new group, numbered after the others."""
        group.id = len(self.tallies) + 1
        tally = Tally(group, key, title)
        self.by_key[key] = tally
        self.tallies.append(tally)
        return tally

    @property
    def events(self) -> int:
        return sum(tally.group.count for tally in self.tallies)

    def groups(self, year: int) -> list[Group]:
        """The groups with their templates and times, errors first, then the most frequent."""
        groups = []
        for tally in self.tallies:
            group = tally.group
            group.template = group.template or self._template_of(tally)
            group.first_seen = parse_timestamp(tally.first_ts, year) if tally.first_ts else None
            group.last_seen = parse_timestamp(tally.last_ts, year) if tally.last_ts else None
            groups.append(group)
        groups.sort(key=lambda g: (g.level not in ERROR_LEVELS, -g.count, g.first_line))
        return groups

    def level_counts(self, source: str | None = None) -> dict[str, int]:
        """Events per level; only those whose level came from `source` when it is given."""
        counts = dict.fromkeys(LEVELS, 0)
        for tally in self.tallies:
            group = tally.group
            if group.level and source in (None, group.level_source):
                counts[group.level] += group.count
        return counts

    def _template_of(self, tally: Tally) -> str:
        kind = tally.key[1]
        if isinstance(kind, str):
            return kind
        assert isinstance(kind, int)
        template = self.miner.clusters[kind].template
        if tally.title and is_crash_opening(template):
            # A crash with no log line of its own: its exception line says what happened.
            return mask(tally.title)
        return template


def _body_shape(lines: list[str]) -> str:
    """The opening word of the first unindented line after a record's own: lines no format reads glued to a record
    (another program's output, a banner). Such an event is kept apart from the same record alone, so a rare
    message hidden in a frequent record's continuation still makes a group of its own."""
    for line in lines[1:]:
        if line[:1] not in (' ', '\t', '') and (words := line.split(None, 1)):  # `\x1f` alone splits into nothing
            return 'then ' + DIGITS('', words[0][:40])
    return ''

