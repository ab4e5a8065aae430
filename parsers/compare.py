"""A log against a good run of the same system: which groups are new, gone, growing or shrinking.

Groups are matched by what they are, never by their ids (ids are positions in one log): a crash by its exception
fingerprint (its types and frames), any other event by its template with the variable parts masked, first exactly
and then by similarity, so a value one log left literal (a user name seen once) does not split a match.

Counts are compared as rates. When both logs carry a time span of at least a minute, a group's rate is its events
per hour of log; otherwise (no timestamps, or a paste of a few seconds) it is its events per 1,000 events of the log,
so a log twice as long is not "twice as bad". A matched group is growing or shrinking only when its rate changed by
a factor of at least MIN_FACTOR and the change is unlikely to be chance (see `_surprise`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from difflib import SequenceMatcher
from enum import StrEnum
from typing import Any

from parsers.masking import WILDCARD, mask
from parsers.model import ERROR_LEVELS, LEVELS, Analysis, Group
from parsers.timestamps import sort_key

# Below this span a log's clock says little about its rate (a paste of two seconds); count by events instead.
MIN_SPAN_SECONDS = 60
# A rate must at least grow by half (or shrink to two thirds) to be called a change ...
MIN_FACTOR = 1.5
# ... and stand this many standard deviations from what the baseline's rate predicts (about 1 in 100 by chance).
MIN_SURPRISE = 2.5
# Unmatched groups compared pairwise by similarity: the first of each side in the engine's order (errors, then the
# largest). Past them only exact matches count, which keeps logs of thousands of groups to a fraction of a second.
MAX_FUZZY_GROUPS = 500
# Templates this alike are one kind of event: the engine's default, with which it merges templates within a log.
DEFAULT_SIMILARITY = 0.7
_SEVERITY = {level: rank for rank, level in enumerate(('', *LEVELS))}


class Change(StrEnum):
    NEW = 'new'
    GONE = 'gone'
    GROWING = 'growing'
    SHRINKING = 'shrinking'
    UNCHANGED = 'unchanged'


class Basis(StrEnum):
    """What a rate counts events per."""

    HOUR = 'hour'
    THOUSAND_EVENTS = '1000 events'


@dataclass(frozen=True, slots=True)
class Side:
    """One log's part of a compared group: every group of that log that matched (usually one)."""

    count: int = 0
    rate: float = 0.0
    first_line: int | None = None
    first_seen: datetime | None = None
    group_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            'count': self.count, 'rate': round(self.rate, 4), 'first_line': self.first_line,
            'first_seen': self.first_seen.isoformat() if self.first_seen else None, 'group_ids': list(self.group_ids),
        }


@dataclass(frozen=True, slots=True)
class GroupChange:
    change: Change
    level: str
    template: str
    # The first line of an example event, from the log when it has the group, else from the baseline.
    example: str
    exception: str
    fingerprint: str
    # 'fingerprint', 'template' or 'similar template'; '' for a group only one log has.
    matched_by: str
    log: Side
    baseline: Side
    # The count the baseline's rate predicts for a log of this one's size or span.
    expected: float

    @property
    def is_error(self) -> bool:
        return self.level in ERROR_LEVELS

    def to_dict(self) -> dict[str, Any]:
        return {
            'change': self.change.value, 'level': self.level, 'template': self.template, 'example': self.example,
            'exception': self.exception, 'fingerprint': self.fingerprint, 'matched_by': self.matched_by,
            'log': self.log.to_dict(), 'baseline': self.baseline.to_dict(), 'expected': round(self.expected, 2),
        }


@dataclass(frozen=True, slots=True)
class Comparison:
    basis: Basis
    # The size of each log in the basis' unit: hours, or thousands of events.
    exposure: float
    baseline_exposure: float
    new: list[GroupChange] = field(default_factory=list)
    gone: list[GroupChange] = field(default_factory=list)
    growing: list[GroupChange] = field(default_factory=list)
    shrinking: list[GroupChange] = field(default_factory=list)
    unchanged: list[GroupChange] = field(default_factory=list)

    def ordered(self) -> list[GroupChange]:
        """New errors first; then every other change by severity and size; what did not change last."""
        changed = [*self.new, *self.growing, *self.shrinking, *self.gone]
        return sorted(changed, key=lambda row: (not (row.change is Change.NEW and row.is_error), *_weight(row))) \
            + self.unchanged

    def counts(self) -> str:
        """In words: '1 new, 0 gone, 2 growing, 0 shrinking, 9 unchanged; new errors: 1'."""
        counts = ', '.join(f'{len(getattr(self, kind.value))} {kind.value}' for kind in Change)
        return f'{counts}; new errors: {sum(1 for row in self.new if row.is_error)}'

    def to_dict(self) -> dict[str, Any]:
        return {
            'basis': self.basis.value, 'exposure': round(self.exposure, 4),
            'baseline_exposure': round(self.baseline_exposure, 4),
            **{kind.value: [row.to_dict() for row in getattr(self, kind.value)] for kind in Change},
        }


def compare(log: Analysis, baseline: Analysis, *, similarity: float = DEFAULT_SIMILARITY) -> Comparison:
    """How `log` differs from `baseline`; every list by severity, then size."""
    basis, exposure, baseline_exposure = _exposures(log, baseline)
    pairs = _match(log.groups, baseline.groups, similarity)
    rows: dict[Change, list[GroupChange]] = {kind: [] for kind in Change}
    for mine, theirs, how in pairs:
        row = _row(mine, theirs, how, exposure, baseline_exposure)
        rows[row.change].append(row)
    for found in rows.values():
        found.sort(key=_weight)
    return Comparison(basis, exposure, baseline_exposure, rows[Change.NEW], rows[Change.GONE], rows[Change.GROWING],
                      rows[Change.SHRINKING], rows[Change.UNCHANGED])


def _exposures(log: Analysis, baseline: Analysis) -> tuple[Basis, float, float]:
    spans = _span(log), _span(baseline)
    if min(spans) >= MIN_SPAN_SECONDS:
        return Basis.HOUR, spans[0] / 3600, spans[1] / 3600
    return Basis.THOUSAND_EVENTS, log.events / 1000, baseline.events / 1000


def _span(analysis: Analysis) -> float:
    if analysis.first_timestamp is None or analysis.last_timestamp is None:
        return 0.0
    return (sort_key(analysis.last_timestamp) - sort_key(analysis.first_timestamp)).total_seconds()


# -- matching ----------------------------------------------------------------------------------------------------

Pair = tuple[list[Group], list[Group], str]
Key = tuple[str, ...]


def _match(mine: Sequence[Group], theirs: Sequence[Group], similarity: float) -> list[Pair]:
    """Groups of both logs paired by their key; what has no exact partner is paired by similar templates."""
    by_key: dict[Key, tuple[list[Group], list[Group]]] = {}
    for side, groups in ((0, mine), (1, theirs)):
        for group in groups:
            by_key.setdefault(_key(group), ([], []))[side].append(group)
    pairs: list[Pair] = []
    alone: tuple[list[tuple[Key, list[Group]]], list[tuple[Key, list[Group]]]] = ([], [])
    for key, (left, right) in by_key.items():
        if left and right:
            pairs.append((left, right, 'fingerprint' if key[0] == 'crash' else 'template'))
        elif key[0] == 'crash':  # a different fingerprint is a different crash, however alike its message
            pairs.append((left, right, ''))
        else:
            alone[0 if left else 1].append((key, left or right))
    paired_left: set[int] = set()
    paired_right: set[int] = set()
    for left_index, right_index in _similar([key for key, _ in alone[0]], [key for key, _ in alone[1]], similarity):
        pairs.append((alone[0][left_index][1], alone[1][right_index][1], 'similar template'))
        paired_left.add(left_index)
        paired_right.add(right_index)
    pairs.extend((groups, [], '') for index, (_, groups) in enumerate(alone[0]) if index not in paired_left)
    pairs.extend(([], groups, '') for index, (_, groups) in enumerate(alone[1]) if index not in paired_right)
    return pairs


def _key(group: Group) -> Key:
    if group.fingerprint:
        return 'crash', group.fingerprint
    words: list[str] = []
    for word in mask(group.template).split():
        if not (word == WILDCARD and words and words[-1] == WILDCARD):  # one value or three: the same shape
            words.append(word)
    return 'event', group.level, *words


def _similar(left: list[Key], right: list[Key], similarity: float) -> list[tuple[int, int]]:
    """Index pairs of keys of one level whose words are alike, the most alike first, each key used once.

    difflib's ratio, unlike Drain's position-by-position share, also pairs templates that gained or lost a word.
    """
    by_level: dict[str, list[tuple[int, Key, frozenset[tuple[str, int]]]]] = {}
    for index, key in enumerate(right[:MAX_FUZZY_GROUPS]):
        by_level.setdefault(key[1], []).append((index, key[2:], _bag(key[2:])))
    candidates: list[tuple[float, int, int]] = []
    for left_index, key in enumerate(left[:MAX_FUZZY_GROUPS]):
        words, bag = key[2:], _bag(key[2:])
        for right_index, theirs, their_bag in by_level.get(key[1], ()):
            # The words both share (with repeats) bound the ratio from above, at the cost of one set intersection.
            if 2 * len(bag & their_bag) >= similarity * (len(words) + len(theirs)):
                score = SequenceMatcher(None, words, theirs, autojunk=False).ratio()
                if score >= similarity:
                    candidates.append((score, left_index, right_index))
    candidates.sort(key=lambda candidate: -candidate[0])
    used_left: set[int] = set()
    used_right: set[int] = set()
    chosen = []
    for _, left_index, right_index in candidates:
        if left_index not in used_left and right_index not in used_right:
            used_left.add(left_index)
            used_right.add(right_index)
            chosen.append((left_index, right_index))
    return chosen


def _bag(words: Key) -> frozenset[tuple[str, int]]:
    """The words as a set in which a repeated word counts each time: its first, second... occurrence."""
    seen: dict[str, int] = {}
    bag = []
    for word in words:
        seen[word] = seen.get(word, 0) + 1
        bag.append((word, seen[word]))
    return frozenset(bag)


# -- one compared group ------------------------------------------------------------------------------------------

def _row(mine: list[Group], theirs: list[Group], how: str, exposure: float, baseline_exposure: float) -> GroupChange:
    shown = min(mine or theirs, key=lambda group: group.first_line)
    log, baseline = _side(mine, exposure), _side(theirs, baseline_exposure)
    expected = baseline.count * exposure / baseline_exposure if baseline_exposure else 0.0
    return GroupChange(
        change=_change(log.count, baseline.count, exposure, baseline_exposure), level=shown.level,
        template=shown.template, example=shown.example.split('\n', 1)[0], exception=shown.exception,
        fingerprint=shown.fingerprint, matched_by=how, log=log, baseline=baseline, expected=expected,
    )


def _side(groups: list[Group], exposure: float) -> Side:
    if not groups:
        return Side()
    count = sum(group.count for group in groups)
    seen = [group.first_seen for group in groups if group.first_seen]
    return Side(
        count=count, rate=count / exposure if exposure else 0.0, first_line=min(group.first_line for group in groups),
        first_seen=min(seen, key=sort_key) if seen else None, group_ids=tuple(group.id for group in groups),
    )


def _change(count: int, baseline_count: int, exposure: float, baseline_exposure: float) -> Change:
    if not baseline_count:
        return Change.NEW
    if not count:
        return Change.GONE
    if exposure <= 0 or baseline_exposure <= 0:
        return Change.UNCHANGED
    factor = (count / exposure) / (baseline_count / baseline_exposure)
    surprise = _surprise(count, baseline_count, exposure / (exposure + baseline_exposure))
    if factor >= MIN_FACTOR and surprise >= MIN_SURPRISE:
        return Change.GROWING
    if factor <= 1 / MIN_FACTOR and surprise <= -MIN_SURPRISE:
        return Change.SHRINKING
    return Change.UNCHANGED


def _surprise(count: int, baseline_count: int, share: float) -> float:
    """How many standard deviations `count` is from what equal rates predict.

    If the group's rate were the same in both logs, each of its events would fall in this log with probability
    `share` (its part of the combined span or size): the count is binomial. The normal approximation of that test is
    three lines of arithmetic, where an exact test would bring scipy into a standard-library-only package.
    """
    total = count + baseline_count
    spread = math.sqrt(total * share * (1 - share))
    return (count - total * share) / spread if spread else 0.0


def _weight(row: GroupChange) -> tuple[int, int]:
    return -_SEVERITY.get(row.level, 0), -(row.log.count or row.baseline.count)

