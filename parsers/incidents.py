"""Incident ranking: how much each group looks like what went wrong, and why.

What is frequent in a log is mostly routine; a cause is usually rare, new, the first of a burst of errors, close to
a crash or to the end of the log, and worded like a cause ("refused", "no space", "permission"). Each group gets a
score, the sum of the signals it shows, and its reasons: a short code per signal with the same in plain words.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable

from parsers.model import ERROR_LEVELS, Analysis, Group

SEVERITY = {'FATAL': 3.0, 'ERROR': 2.0, 'WARN': 1.0, '': 0.3, 'INFO': 0.0, 'DEBUG': -0.5, 'TRACE': -0.5}
# Signals that make a group a candidate at all; rarity, novelty and timing only order the candidates.
_NOTEWORTHY = frozenset({'severity', 'error_words', 'crash', 'cause'})
# Those of them that show a failure: a warning alone may be routine.
_FAILURE = frozenset({'error_words', 'crash', 'cause'})
CAUSE_WORDS = re.compile(
    r"\b(?:refused|denied|cannot|can't|could not|couldn't|unable to|failed to|no space|too many open files"
    r'|out of memory|oom|permission|ownership|owned by|timed out|timeout|not found|no such|invalid'
    r'|corrupt(?:ed|ion)?|mismatch'
    r'|locked|deadlock|lock ?file|(?:get|acquire|obtain|hold|holds|holding|held) (?:the |a )?(?:\w+ )?lock'
    r'|unreachable|reset by peer|killed|exhausted|exceeded|too (?:low|small|large|many|old|new|open|long)'
    r'|not (?:allowed|permitted|supported|writable|configured|specified|recognized|compatible)'
    r'|incompatible|expired|already in use|segmentation fault|aborted|unknown (?:host|directive|option)'
    r'|missing|no route to host|exec format error|read-only file system|disk full|quota'
    r'|(?:does|did) not (?:exist|match|satisfy)'
    r"|doesn't exist|bad (?:file|format|magic|header|checksum|permissions|ownership)|malformed|truncated|checksum"
    r'|(?:different|wrong|unsupported|newer|older) (?:\S+ )?version|wrong (?:\S+ )?(?:class|architecture)'
    # A second instance, a binary for another CPU, a prompt with no terminal, no server to talk to, work cut short.
    r'|already running|bad cpu type|(?:a )?terminal is required|not a tty|no tty present|no listener'
    r'|no brokers? (?:are )?available|(?:was|were) interrupted|no longer (?:supported|accepted))\b',
    re.IGNORECASE,
)
# Words of a failure in a group whose level does not say so (none written, or a record another program's output
# was glued to).
ERROR_WORDS = re.compile(
    r'\b(?:\w*(?:error|exception)s?|fatal|panic|fail(?:ed|ure|s)?|crash(?:ed)?|abort(?:ed)?|terminate called'
    r'|uncaught|unhandled|core dumped)\b', re.IGNORECASE)
# How much of an event the cause words are looked for in: the message and the head of its trace.
CAUSE_CHARS = 2_000
# Below this many lines a log is an excerpt: where in it something happens says little.
MIN_LINES_FOR_TIMING = 100
# Share of the log that counts as its end, and as "just before" a crash (at least the line counts given).
END_SHARE, END_LINES = 0.02, 20
NEAR_SHARE, NEAR_LINES = 0.005, 20
# A burst: at least BURST_MIN occurrences within a window of BURST_SHARE of the log, BURST_FACTOR times the
# group's usual rate there.
BURST_SHARE, BURST_MIN, BURST_FACTOR = 0.02, 5, 5.0
# New noteworthy groups within this share of the log after a group's first occurrence make it the first of a burst.
CASCADE_SHARE, CASCADE_LINES, CASCADE_MIN = 0.005, 30, 2
# Occurrences spread over at least this share of the log: routine, whatever its level.
STEADY_SHARE = 0.5


def rank(analysis: Analysis) -> list[Group]:
    """Score every group of `analysis` (in place) and return them most incident-like first."""
    context = _Context(analysis)
    for group in analysis.groups:
        reasons: dict[str, str] = {}
        score = sum(signal(group, context, reasons) for signal in _SIGNALS)
        group.incident_score = round(score, 2)
        group.incident_reasons = reasons
    return ranked(analysis)


def ranked(analysis: Analysis) -> list[Group]:
    """The groups most incident-like first (as last scored), ties to the earliest."""
    return sorted(analysis.groups, key=lambda group: (-group.incident_score, group.first_line))


def top_incidents(analysis: Analysis, limit: int | None = None) -> list[Group]:
    """The incident-like groups (an error, a crash or a cause in words), best first; scores them if never scored."""
    if analysis.groups and not any(group.incident_reasons for group in analysis.groups):
        rank(analysis)  # an analysis saved before groups were scored
    candidates = [group for group in ranked(analysis) if is_incident_like(group)]
    return candidates[:limit] if limit is not None else candidates


def is_incident_like(group: Group) -> bool:
    return group.level in ERROR_LEVELS or not _NOTEWORTHY.isdisjoint(group.incident_reasons)


def shows_failure(group: Group) -> bool:
    """An error by its level, or a crash or a failure in its words; a warning for its level alone is not."""
    return group.level in ERROR_LEVELS or not _FAILURE.isdisjoint(group.incident_reasons)


class _Context:
    """What every group is measured against: the log's size, its crashes and where noteworthy groups begin."""

    def __init__(self, analysis: Analysis) -> None:
        self.lines = max(analysis.lines, 1)
        self.events = max(analysis.events, 1)
        self.timed = analysis.lines >= MIN_LINES_FOR_TIMING
        self.crashes = sorted(group.first_line for group in analysis.groups if _is_crash(group))
        self.causes = {id(group): _cause(group) for group in analysis.groups}
        self.noteworthy = sorted(group.first_line for group in analysis.groups if self.noteworthy_group(group))
        errors = [group for group in analysis.groups if group.level in ERROR_LEVELS]
        self.first_error = min(errors, key=lambda group: group.first_line).id if errors else None

    def share(self, share: float, least: int) -> int:
        return max(least, int(self.lines * share))

    def noteworthy_group(self, group: Group) -> bool:
        return group.level in ('WARN', *ERROR_LEVELS) or _is_crash(group) or bool(self.causes[id(group)])


def _severity(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    points = SEVERITY.get(group.level, 0.0)
    if points >= SEVERITY['WARN']:
        reasons['severity'] = f'logged at {group.level}'
    if group.id == context.first_error:
        reasons['first_error'] = 'the first error in the log'
        points += 1.0
    return points


def _error_words(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    if group.level in ('WARN', *ERROR_LEVELS):
        return 0.0
    words = _unique(word.lower() for word in ERROR_WORDS.findall(group.example[:CAUSE_CHARS]))
    if not words:
        return 0.0
    reasons['error_words'] = 'worded like a failure: ' + ', '.join(f'"{word}"' for word in words[:4])
    return 1.5


def _rarity(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    # Few occurrences, absolutely and against the log's size: a thousand of anything is routine.
    scale = min(1.0, math.log10(context.events + 1) / 3)
    rarity = max(0.0, 1 - math.log10(group.count) / 3) * scale
    if rarity >= 0.5:
        reasons['rare'] = f'rare: {_times(group.count)} in {context.events:,} events'
    return 3.0 * rarity


def _novelty(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    if not context.timed:
        return 0.0
    position = (group.first_line - 1) / context.lines
    if position >= 0.5:
        reasons['new'] = f'new: first seen at line {group.first_line:,}, {position:.0%} into the log'
    return 1.5 * position


def _timing(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    """Coming just before a crash; in a log long enough for timing to tell: a burst, being steady, ending the log."""
    points = 0.0
    crash = _next_after(context.crashes, group.first_line)
    if crash is not None and crash - group.first_line <= context.share(NEAR_SHARE, NEAR_LINES):
        reasons['before_crash'] = f'just before a crash at line {crash:,}'
        points += 1.0
    occurrences = group.occurrences
    complete = len(occurrences) >= group.count and occurrences
    if complete and context.timed:
        span = occurrences[-1] - occurrences[0] + 1
        if group.count >= BURST_MIN and span >= STEADY_SHARE * context.lines:
            points -= 1.0
        burst = _densest(occurrences, context.share(BURST_SHARE, 50))
        expected = group.count * context.share(BURST_SHARE, 50) / context.lines
        if burst[0] >= BURST_MIN and burst[0] >= BURST_FACTOR * expected:
            reasons['burst'] = f'a burst: {burst[0]} occurrences within lines {burst[1]:,}-{burst[2]:,}'
            points += 1.5
        if context.lines - occurrences[-1] <= context.share(END_SHARE, END_LINES):
            reasons['near_end'] = f'close to the end of the log (line {occurrences[-1]:,} of {context.lines:,})'
            points += 1.0
    return points


def _cascade(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    """The first noteworthy group of a run of new ones: the cause tends to come first, its consequences after."""
    if not context.timed or not context.noteworthy_group(group):
        return 0.0
    window = context.share(CASCADE_SHARE, CASCADE_LINES)
    starts = context.noteworthy
    at = group.first_line
    before = bisect.bisect_left(starts, at - window)
    if bisect.bisect_left(starts, at) > before:
        return 0.0  # another one began just before: this one is not the first
    after = bisect.bisect_right(starts, at + window) - bisect.bisect_right(starts, at)
    if after < CASCADE_MIN:
        return 0.0
    reasons['first_of_burst'] = f'first of a burst: {after} other warning or error kinds begin within {window} lines'
    return 1.5


def _crash_signal(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    if not _is_crash(group):
        return 0.0
    reasons['crash'] = f'a crash or stack trace ({group.exception})' if group.exception else 'a crash or stack trace'
    return 1.5


def _cause_signal(group: Group, context: _Context, reasons: dict[str, str]) -> float:
    words = context.causes[id(group)]
    if not words:
        return 0.0
    reasons['cause'] = 'worded like a cause: ' + ', '.join(f'"{word}"' for word in words)
    return 1.5


_SIGNALS = (_severity, _error_words, _rarity, _novelty, _timing, _cascade, _crash_signal, _cause_signal)


def _is_crash(group: Group) -> bool:
    return bool(group.exception or group.fingerprint) or group.level == 'FATAL'


def _cause(group: Group) -> list[str]:
    found = CAUSE_WORDS.findall(f'{group.template}\n{group.example[:CAUSE_CHARS]}')
    return _unique(word.lower() for word in found)[:4]


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


def _densest(occurrences: list[int], window: int) -> tuple[int, int, int]:
    """The most occurrences within `window` lines: (how many, first line, last line)."""
    best = (0, 0, 0)
    start = 0
    for end, line in enumerate(occurrences):
        while line - occurrences[start] >= window:
            start += 1
        if end - start + 1 > best[0]:
            best = (end - start + 1, occurrences[start], line)
    return best


def _next_after(lines: list[int], line: int) -> int | None:
    at = bisect.bisect_right(lines, line)
    return lines[at] if at < len(lines) else None


def _times(count: int) -> str:
    return 'once' if count == 1 else f'{count:,} times'
