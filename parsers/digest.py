"""The evidence digest: what a model is shown about a log, within a token budget, every line numbered.

The budget is filled by value, not by frequency: the chosen problem with the lines before it and its whole event
(when that is too long, the lines that say what happened: its message, exceptions and `Caused by:` chain, first and
last frames); the other incident candidates with an example each; the first error in time; the lines before the
first crash; where the rate changed; then more candidates; the most frequent groups only last.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from parsers.examples import weight
from parsers.incidents import is_incident_like, ranked, top_incidents
from parsers.masking import WILDCARD
from parsers.model import ERROR_LEVELS, OMITTED, Analysis, Bucket, Group
from parsers.timeline import coarser, span_of

DEFAULT_BUDGET = 12_000
MIN_BUDGET = 1_000
LINE_CHARS = 2_000  # longest line kept whole; longer lines keep their start and end
CHOSEN_LINE_CHARS = 8_000
TEMPLATE_CHARS = 500
# Shares of the budget: the chosen problem at most (its context at most a quarter of that), the top candidates
# together, each of them, and what is kept back for the most frequent groups at the end.
CHOSEN_SHARE, CONTEXT_SHARE = 0.4, 0.25
CANDIDATES_SHARE, CANDIDATE_SHARE = 0.3, 0.035
# The most a long candidate may take of what the one-line candidates leave: more would starve the further candidates.
LONG_CANDIDATE_SHARE = 0.07
COMMON_SHARE = 0.08
TOP_CANDIDATES = 8
CANDIDATE_CONTEXT_LINES = 5
CRASH_CONTEXT_LINES = 10
COMPACT_EXAMPLE_LINES = 4
RATE_CHANGES_SHOWN = 6
# A time slice whose errors and warnings reach this many and this many times the usual slice is a change of rate.
RATE_MIN, RATE_FACTOR = 5, 4.0
# Slices of the log's span that rates are compared over.
RATE_SLICES = 120
# Beyond this many lines an event keeps its head and tail plus the unindented lines between (messages, causes).
EVENT_LINES_SCANNED = 2_000
# Blocks in a row that do not fit before the filling stops.
MAX_MISSES = 10
# Blank lines between sections and the closing note are not budgeted one by one.
_SLACK = 60
_GAP_COST = 20
_PIECES = re.compile(r'\d|[^\W\d_]+|\S')
_PARTLY_MASKED = re.compile(r'(?<![\w+/.-])[\w+/.-]*(?:' + re.escape(WILDCARD) + r'[\w+/.-]*)+')

Transform = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Digest:
    text: str
    tokens: int
    group_id: int | None
    event_truncated: bool  # the chosen event itself had to lose lines to fit
    groups_left_out: int


def estimate_tokens(text: str) -> int:
    """A cautious estimate of a model's token count, without a network call or a tokenizer download.

    Gemini's tokenizer writes digits one by one and common words as one token; counting every digit and sign
    as a token and words at four letters a token errs on the high side for logs, so the real count stays in
    budget. Additive over lines, which lets the digest budget line by line.
    """
    return sum(_line_tokens(line) for line in text.split('\n'))


def _line_tokens(line: str) -> int:
    tokens = 1  # the line break
    for piece in _PIECES.findall(line):
        tokens += math.ceil(len(piece) / 4) if piece[0].isalpha() else 1
    return tokens


def build_digest(
    analysis: Analysis,
    group: Group | None,
    *,
    budget: int = DEFAULT_BUDGET,
    transform: Transform = str,
) -> Digest:
    """The digest about `group` (None: a log without errors). `transform` (redaction) sees every log text first."""
    budget = max(budget, MIN_BUDGET)
    out = _Sections(budget - _SLACK)
    out.add(_overview(analysis, transform), force=True)
    event_truncated = False
    candidates = [candidate for candidate in top_incidents(analysis) if group is None or candidate.id != group.id]
    candidates = candidates[:TOP_CANDIDATES]
    needs = [_rough_tokens(candidate) for candidate in candidates]
    # Beyond its share, a candidate's event (not its context) may take what the shorter events leave.
    events = [_rough_event_tokens(candidate) for candidate in candidates]
    share = min(max(int(budget * CANDIDATE_SHARE), _level(events, int(budget * CANDIDATES_SHARE))),
                int(budget * LONG_CANDIDATE_SHARE))
    if group is not None:
        # The chosen event may take what the other candidates will not need, and at least its share.
        others = sum(min(need, share) for need in needs)
        room = max(int(budget * CHOSEN_SHARE), out.left - others - int(budget * COMMON_SHARE))
        event_truncated = _chosen(out, group, transform, min(room, out.left))
    room = out.left - int(budget * (1 - CHOSEN_SHARE - CANDIDATES_SHARE))
    title = '=== OTHER INCIDENT CANDIDATES (most incident-like first, with why) ==='
    for candidate in candidates:
        block = _candidate(candidate, transform, min(int(budget * CANDIDATE_SHARE), room), min(share, room))
        if block and out.add([title, *block] if title else block, group=candidate):
            room -= _tokens(block)
            title = ''
    _first_error(out, analysis, transform)
    _before_crash(out, analysis, transform)
    out.add(_rate_changes(analysis))
    reserve = min(int(budget * COMMON_SHARE), out.left // 2)
    more = (candidate for candidate in ranked(analysis) if is_incident_like(candidate))
    _fill(out, '=== MORE CANDIDATES (one example each) ===', more, transform, reserve)
    commons = sorted(analysis.groups, key=lambda each: (-each.count, each.first_line))
    _fill(out, '=== MOST FREQUENT GROUPS ===', commons, transform, 0)
    left_out = len(analysis.groups) - len(out.shown)
    if left_out:
        out.add([f'({left_out} more group(s) left out)'], force=True)
    text = '\n\n'.join('\n'.join(section) for section in out.sections)
    return Digest(text, estimate_tokens(text), group.id if group else None, event_truncated, left_out)


def _fill(out: _Sections, title: str, groups: Iterable[Group], transform: Transform, reserve: int) -> None:
    """Compact blocks of the groups not shown yet, in order, until only `reserve` tokens are left."""
    misses = 0
    for group in groups:
        if out.left - reserve < _GAP_COST or misses >= MAX_MISSES:
            return
        if group.id in out.shown:
            continue
        block = _compact(group, transform)
        if out.add([title, *block] if title else block, group=group, room=out.left - reserve):
            title = ''
            misses = 0
        else:
            misses += 1


class _Sections:
    """The digest as it grows: its sections, the tokens left, the groups shown."""

    def __init__(self, budget: int) -> None:
        self.sections: list[list[str]] = []
        self.left = budget
        self.shown: set[int] = set()

    def add(
        self, lines: list[str], *, group: Group | None = None, force: bool = False, room: int | None = None,
    ) -> bool:
        if not lines:
            return False
        cost = _tokens(lines) + 1  # and the blank line before it
        if not force and cost > (self.left if room is None else min(room, self.left)):
            return False
        self.sections.append(lines)
        self.left -= cost
        if group is not None:
            self.shown.add(group.id)
        return True


def _chosen(out: _Sections, group: Group, transform: Transform, room: int) -> bool:
    """The chosen problem: heading, the lines before its first occurrence, its whole event. Whether it was cut."""
    head = [*_heading('CHOSEN PROBLEM', group, transform), '--- the event at its first occurrence ---']
    event = _numbered(transform(group.example), group.first_line, CHOSEN_LINE_CHARS)
    context = _numbered(transform('\n'.join(group.context_before)), group.first_line - len(group.context_before))
    room -= _tokens(head)
    context_head = f'--- {len(context)} line(s) just before its first occurrence ---'
    context_room = min(_tokens(context) + _line_tokens(context_head), int(room * CONTEXT_SHARE))
    fitted_event = _fit_event(event, room - context_room)
    fitted_context = _fit_end(context, room - _tokens(fitted_event) - _line_tokens(context_head))
    block = head[:-1] + ([context_head, *fitted_context] if fitted_context else []) + head[-1:] + fitted_event
    out.add(block, group=group, force=True)
    return fitted_event != event


def _level(needs: Sequence[int], pool: int) -> int:
    """The most each may take so that together they take at most `pool`: what the small ones leave of an equal share
    goes to the bigger ones (all of `pool` when every need fits)."""
    left, count = pool, len(needs)
    for need in sorted(needs):
        if need > left // count:
            return left // count
        left -= need
        count -= 1
    return pool


def _rough_tokens(group: Group) -> int:
    # Cheaper than counting: what a candidate's block would take, near enough to share out the budget.
    return _rough_event_tokens(group) + sum(map(len, group.context_before[-CANDIDATE_CONTEXT_LINES:])) // 3


def _rough_event_tokens(group: Group) -> int:
    return 60 + len(group.example) // 3


def _candidate(group: Group, transform: Transform, room: int, most: int) -> list[str]:
    """A candidate's block in `room` tokens; a long event may take up to `most` (its context then gives way)."""
    head = _heading('CANDIDATE', group, transform)
    context = _numbered(transform('\n'.join(group.context_before[-CANDIDATE_CONTEXT_LINES:])),
                        group.first_line - min(len(group.context_before), CANDIDATE_CONTEXT_LINES))
    extra = most - room
    room -= _tokens(head)
    event = _fit_event(_numbered(transform(group.example), group.first_line), room * 3 // 4 + extra)
    if not event:
        return []
    return head + _fit_end(context, room - _tokens(event)) + event


def _first_error(out: _Sections, analysis: Analysis, transform: Transform) -> None:
    # File order is time order within one log, and unlike timestamps it is always there and comparable.
    first = min(analysis.error_groups, key=lambda group: group.first_line, default=None)
    if first is None or first.id in out.shown:
        return
    head = _heading('FIRST ERROR IN TIME (often the cause)', first, transform)
    event = _fit_event(_numbered(transform(first.example), first.first_line), out.left // 4 - _tokens(head))
    if event:
        out.add(head + event, group=first)


def _before_crash(out: _Sections, analysis: Analysis, transform: Transform) -> None:
    """The lines before the first crash, when no section above already shows them."""
    crashes = [group for group in analysis.groups if group.exception or group.level == 'FATAL']
    crash = min(crashes, key=lambda group: group.first_line, default=None)
    if crash is None or crash.id in out.shown:
        return
    context = crash.context_before[-CRASH_CONTEXT_LINES:]
    lines = _numbered(transform('\n'.join(context)), crash.first_line - len(context))
    event = _fit_event(_numbered(transform(crash.example), crash.first_line), out.left // 8)
    block = [f'=== THE LINES BEFORE THE FIRST CRASH (group #{crash.id}, line {crash.first_line}) ===',
             *_fit_end(lines, out.left // 8), *event]
    out.add(block, group=crash)


def _rate_changes(analysis: Analysis) -> list[str]:
    """Time slices where errors and warnings jump past their usual rate, and groups that came in bursts."""
    lines = []
    timeline, step = analysis.timeline, analysis.timeline_step_seconds
    if timeline:  # the timeline keeps detail for zooming in: rates are read over slices of the span
        step, timeline = coarser(timeline, step, span_of(timeline, step), RATE_SLICES)
    slices = [(bucket, _troubles(bucket)) for bucket in timeline if bucket.counts]
    if len(slices) >= 3:
        usual = sorted(count for _, count in slices)[len(slices) // 2]
        jumps = [(bucket, count) for bucket, count in slices
                 if count >= RATE_MIN and count >= RATE_FACTOR * max(usual, 1)]
        for bucket, count in sorted(jumps, key=lambda item: -item[1])[:RATE_CHANGES_SHOWN]:
            levels = ', '.join(f'{level} {n}' for level, n in bucket.counts.items() if n)
            lines.append(f'{bucket.start.isoformat()} (+{step} s): {count} errors and warnings, usually {usual} '
                         f'({levels})')
    bursts = [group for group in ranked(analysis) if 'burst' in group.incident_reasons][:RATE_CHANGES_SHOWN]
    lines += [f'group #{group.id} {group.level or "no level"}: {group.incident_reasons["burst"]}' for group in bursts]
    return ['=== WHERE THE RATE CHANGED ===', *lines] if lines else []


def _troubles(bucket: Bucket) -> int:
    return sum(bucket.counts.get(level, 0) for level in ('WARN', *ERROR_LEVELS))


def _compact(group: Group, transform: Transform) -> list[str]:
    # As few tokens as tell the group apart, so many candidates fit: the reasons' short names, no unknown times, and
    # no template for a single occurrence (its example is the template).
    example = _fit_event(_numbered(transform(group.example), group.first_line), 0, COMPACT_EXAMPLE_LINES)
    seen = f', {_moment(group.first_seen)} to {_moment(group.last_seen)}' if group.first_seen else ''
    why = ', '.join(group.incident_reasons)
    head = f'#{group.id} {group.level or "no level"} x{group.count}, line {group.first_line}{seen}'
    template = f'  template: {_cut(transform(plain_template(group.template)), TEMPLATE_CHARS)}'
    return [head + (f' ({why})' if why else ''), *([template] if group.count > 1 else []), *example]


def plain_template(template: str) -> str:
    """Literal fragments glued to a wildcard are pieces of a value (perhaps of a secret no redaction rule can
    recognize once cut up): such a word shows as the wildcard alone, unless they are as short as a unit (`<*>ms`)."""
    return _PARTLY_MASKED.sub(_plain_word, template)


def _plain_word(found: re.Match[str]) -> str:
    word = found[0]
    return WILDCARD if len(word) - word.count(WILDCARD) * len(WILDCARD) > 3 else word


def _overview(analysis: Analysis, transform: Transform) -> list[str]:
    levels = ', '.join(f'{level} {count}' for level, count in analysis.level_counts.items() if count)
    formats = ', '.join(f'{name} ({count} lines)' for name, count in list(analysis.formats.items())[:6])
    lines = [
        '=== LOG OVERVIEW ===',
        f'lines: {analysis.lines}, events: {analysis.events}, bytes: {analysis.bytes_read}',
        f'formats: {transform(formats) or "unknown"}',
        f'time span: {_span(analysis.first_timestamp, analysis.last_timestamp)}',
        f'levels: {levels or "none found"}',
        f'groups: {len(analysis.groups)} ({len(analysis.error_groups)} at ERROR or FATAL)',
    ]
    if analysis.truncated_lines:
        lines.append(f'lines cut for length: {analysis.truncated_lines}')
    return lines


def _span(first: datetime | None, last: datetime | None) -> str:
    if first is None or last is None:
        return 'no timestamps found'
    try:
        return f'{first.isoformat()} to {last.isoformat()} ({last - first})'
    except TypeError:  # one naive, one aware
        return f'{first.isoformat()} to {last.isoformat()}'


def _heading(title: str, group: Group, transform: Transform) -> list[str]:
    occurrences = ', '.join(str(line) for line in group.occurrences[:20])
    more = ', ...' if group.count > 20 else ''
    lines = [
        f'=== {title}: group #{group.id}, {group.level or "no level"}, {group.count} occurrence(s) ===',
        f'template: {_cut(transform(plain_template(group.template)), TEMPLATE_CHARS)}',
        f'first seen: {_moment(group.first_seen)}, last seen: {_moment(group.last_seen)}',
        f'at lines: {occurrences}{more}',
    ]
    if group.incident_reasons:
        lines.append(f'why it stands out: {"; ".join(group.incident_reasons.values())}')
    return lines


def _numbered(text: str, first_line: int, width: int = LINE_CHARS) -> list[str]:
    if not text:
        return []
    lines = text.split('\n')
    if len(lines) > EVENT_LINES_SCANNED:
        return _numbered_long(lines, first_line, width)
    numbered = []
    number = first_line
    for line in lines:
        found = OMITTED.fullmatch(line)
        numbered.append(f'{"":>7} | {line}' if found else f'{number:>7} | {_cut(line, width)}')
        number += int(found[1]) if found else 1
    return numbered


def _numbered_long(lines: list[str], first_line: int, width: int) -> list[str]:
    """A huge event: its head and tail whole, and of its middle only the unindented lines (messages, causes)."""
    edge = EVENT_LINES_SCANNED // 2
    keep = (index for index, line in enumerate(lines)
            if index < edge or index >= len(lines) - edge or line[:1] not in (' ', '\t', ''))
    return [f'{first_line + index:>7} | {_cut(lines[index], width)}' for index in keep]


def _fit_event(lines: Sequence[str], room: int, most: int | None = None) -> list[str]:
    """The lines of an event that fit in `room` tokens (or its `most` lines), the ones that say what happened
    first: the opening line, then messages that name a cause, then a failure, then other messages (not frames),
    then the first frame after each and the last line, then the other frames in order. Gaps are marked."""
    if most is None and _within(lines, room):
        return list(lines)
    if most is not None and len(lines) <= most:
        return list(lines)
    contents = [_content(line) for line in lines]
    order = sorted(range(len(lines)), key=lambda index: (weight(contents, index), index))
    taken: set[int] = set()
    used = 0
    for index in order:
        if most is not None and len(taken) >= most:
            break
        cost = _line_tokens(lines[index]) + _GAP_COST
        if most is None and used + cost > room:
            continue
        taken.add(index)
        used += cost
    if not taken:
        return [_cut_to_tokens(lines[0], room - _GAP_COST), _omitted(len(lines) - 1)] if room > _GAP_COST else []
    kept: list[str] = []
    previous = -1
    for index in [*sorted(taken), len(lines)]:
        if index > previous + 1:
            kept.append(_omitted(sum(_line_count(content) for content in contents[previous + 1:index])))
        if index < len(lines):
            kept.append(lines[index])
        previous = index
    return kept


def _line_count(content: str) -> int:
    """How many lines of the log a line of an example stands for (a marker stands for those it replaced)."""
    found = OMITTED.fullmatch(content)
    return int(found[1]) if found else 1


def _content(numbered: str) -> str:
    return numbered.partition(' | ')[2]


def _fit_end(lines: Sequence[str], room: int) -> list[str]:
    """The last lines that fit in `room` tokens."""
    kept: list[str] = []
    used = 0
    for line in reversed(lines):
        used += _line_tokens(line)
        if used > room:
            break
        kept.append(line)
    return kept[::-1]


def _within(lines: Iterable[str], room: int) -> bool:
    used = 0
    for line in lines:
        used += _line_tokens(line)
        if used > room:
            return False
    return True


def _omitted(count: int) -> str:
    return f'        [... {count} line(s) of this event left out to fit the token budget ...]'


def _cut_to_tokens(line: str, room: int) -> str:
    while len(line) > 80 and _line_tokens(line) > room:
        line = _cut(line, len(line) // 2)
    return line


def _cut(line: str, width: int) -> str:
    if len(line) <= width:
        return line
    half = width // 2
    return f'{line[:half]} [... {len(line) - 2 * half} characters cut ...] {line[-half:]}'


def _tokens(lines: Sequence[str]) -> int:
    return sum(_line_tokens(line) for line in lines)


def _moment(moment: datetime | None) -> str:
    return moment.isoformat() if moment else 'unknown'
