"""The evidence digest: what a model is shown about a log, within a token budget, every line numbered."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from parsers.masking import WILDCARD
from parsers.model import Analysis, Group

DEFAULT_BUDGET = 12_000
MIN_BUDGET = 1_000
OTHER_GROUPS_SHOWN = 15
OTHER_EXAMPLE_LINES = 6
LINE_CHARS = 2_000  # longest line kept whole; longer lines keep their start and end
TEMPLATE_CHARS = 500
# Blank lines between sections and the closing note are not budgeted one by one.
_SLACK = 40
CHOSEN_LINE_CHARS = 8_000
_PIECES = re.compile(r'\d|[^\W\d_]+|\S')
_PARTLY_MASKED = re.compile(r'(?<![\w+/.-])[\w+/.-]*(?:' + re.escape(WILDCARD) + r'[\w+/.-]*)+')


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
    transform: Callable[[str], str] = str,
) -> Digest:
    """The digest about `group` (None: a log without errors). `transform` (redaction) sees every log text first.

    Priority when space runs out: the overview and the chosen event always stay (its middle is cut if it alone is
    too large), then the lines before it, then the first error in time, then the other groups in rank order.
    """
    budget = max(budget, MIN_BUDGET)
    sections: list[list[str]] = [_overview(analysis, transform)]
    left = budget - _tokens(sections[0]) - _SLACK
    event_truncated = False
    groups_left_out = 0
    shown: set[int] = set()
    if group is not None:
        shown.add(group.id)
        head = _group_heading('CHOSEN PROBLEM', group, transform)
        event = _numbered(transform(group.example), group.first_line, CHOSEN_LINE_CHARS)
        context = _numbered(transform('\n'.join(group.context_before)), group.first_line - len(group.context_before))
        context_head = [f'--- {len(context)} line(s) just before its first occurrence ---'] if context else []
        event_head = ['--- the event at its first occurrence ---']
        left -= _tokens(head) + _tokens(event_head)
        context_room = min(_tokens(context_head) + _tokens(context), left // 5)
        fitted_event = _fit(event, left - context_room, keep='middle-out')
        event_truncated = fitted_event != event
        left -= _tokens(fitted_event)
        fitted_context = _fit(context, left - _tokens(context_head), keep='end') if context_head else []
        if fitted_context:
            left -= _tokens(context_head) + _tokens(fitted_context)
        else:
            context_head = []
        sections.append(head + context_head + fitted_context + event_head + fitted_event)
        first_error = _first_error(analysis)
        if first_error is not None and first_error.id != group.id:
            block = _example_block('FIRST ERROR IN TIME (a different group; often the cause)', first_error,
                                   transform, left // 2)
            if block:
                sections.append(block)
                left -= _tokens(block)
                shown.add(first_error.id)
    others = [candidate for candidate in analysis.groups if candidate.id not in shown]
    for index, other in enumerate(others[:OTHER_GROUPS_SHOWN]):
        block = _other_group(other, transform)
        if index == 0:
            block = ['=== OTHER TOP GROUPS (template, count, first/last seen, one example) ===', *block]
        if _tokens(block) + 2 > left:
            groups_left_out = len(others) - index
            break
        sections.append(block)
        left -= _tokens(block)
    else:
        groups_left_out = max(len(others) - OTHER_GROUPS_SHOWN, 0)
    if groups_left_out:
        sections.append([f'({groups_left_out} more group(s) left out)'])
    text = '\n\n'.join('\n'.join(section) for section in sections)
    return Digest(text, estimate_tokens(text), group.id if group else None, event_truncated, groups_left_out)


def plain_template(template: str) -> str:
    """Literal fragments glued to a wildcard are pieces of a value (perhaps of a secret no redaction rule can
    recognize once cut up): such a word shows as the wildcard alone, unless they are as short as a unit (`<*>ms`)."""
    return _PARTLY_MASKED.sub(_plain_word, template)


def _plain_word(found: re.Match[str]) -> str:
    word = found[0]
    return WILDCARD if len(word) - word.count(WILDCARD) * len(WILDCARD) > 3 else word


def _overview(analysis: Analysis, transform: Callable[[str], str]) -> list[str]:
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


def _group_heading(title: str, group: Group, transform: Callable[[str], str]) -> list[str]:
    occurrences = ', '.join(str(line) for line in group.occurrences[:20])
    more = ', ...' if group.count > 20 else ''
    return [
        f'=== {title}: group #{group.id}, {group.level or "no level"}, {group.count} occurrence(s) ===',
        f'template: {_cut(transform(plain_template(group.template)), TEMPLATE_CHARS)}',
        f'first seen: {_moment(group.first_seen)}, last seen: {_moment(group.last_seen)}',
        f'at lines: {occurrences}{more}',
    ]


def _example_block(title: str, group: Group, transform: Callable[[str], str], room: int) -> list[str]:
    head = _group_heading(title, group, transform)
    lines = _fit(_numbered(transform(group.example), group.first_line), room - _tokens(head), keep='middle-out')
    return head + lines if lines else []


def _other_group(group: Group, transform: Callable[[str], str]) -> list[str]:
    example = _numbered(transform(group.example), group.first_line)
    shown = example[:OTHER_EXAMPLE_LINES]
    if len(example) > len(shown):
        shown.append(f'       ... {len(example) - len(shown)} more line(s) of this event')
    return [
        f'#{group.id} {group.level or "no level"} x{group.count}, first seen {_moment(group.first_seen)} '
        f'(line {group.first_line}), last seen {_moment(group.last_seen)}',
        f'  template: {_cut(transform(plain_template(group.template)), TEMPLATE_CHARS)}',
        *shown,
    ]


def _first_error(analysis: Analysis) -> Group | None:
    # File order is time order within one log, and unlike timestamps it is always there and comparable.
    return min(analysis.error_groups, key=lambda group: group.first_line, default=None)


def _numbered(text: str, first_line: int, width: int = LINE_CHARS) -> list[str]:
    if not text:
        return []
    return [f'{number:>7} | {_cut(line, width)}' for number, line in enumerate(text.split('\n'), start=first_line)]


def _fit(lines: Sequence[str], room: int, *, keep: str) -> list[str]:
    """The lines that fit in `room` tokens: all, or (keep='end') the last ones, or (keep='middle-out') the
    first and last ones with a note where the middle was cut; a single huge line is cut within."""
    if _within(lines, room):
        return list(lines)
    if room <= 0:
        return []
    if keep == 'end':
        kept: list[str] = []
        used = 0
        for line in reversed(lines):
            used += _line_tokens(line)
            if used > room:
                break
            kept.append(line)
        return kept[::-1]
    head, tail, used = 0, 0, 0
    note_cost = 20
    # Alternate ends so both the exception (head) and its deepest cause (tail) survive.
    while head + tail < len(lines):
        index = head if head <= tail else len(lines) - 1 - tail
        cost = _line_tokens(lines[index])
        if used + cost + note_cost > room:
            break
        used += cost
        if head <= tail:
            head += 1
        else:
            tail += 1
    if head == 0:
        return [_cut_to_tokens(lines[0], room - note_cost), _omitted(len(lines) - 1)]
    omitted = len(lines) - head - tail
    return [*lines[:head], _omitted(omitted), *lines[len(lines) - tail:]]


def _within(lines: Sequence[str], room: int) -> bool:
    used = 0
    for line in lines:
        used += _line_tokens(line)
        if used > room:
            return False
    return True


def _omitted(count: int) -> str:
    return f'        [... {count} line(s) left out of the middle of this event to fit the token budget ...]'


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
