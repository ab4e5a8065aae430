"""The lines the log view shows without the log: around each group's first occurrences and its last one.

Chosen once the groups are known and read in a second pass over the log, which costs a plain read of it and keeps
the engine's pass free of bookkeeping for lines that may never be wanted. Memory stays within the kept lines.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from parsers.model import Excerpt, Group, first_occurrence
from parsers.reader import TRUNCATION_MARKER, ReadLimits

# Each kept line is cut to this many characters (and marked), as the lines before a first occurrence are.
MAX_KEPT_LINE_CHARS = 1000


@dataclass(slots=True)
class _Window:
    group: Group
    start: int
    end: int
    lines: list[str] = field(default_factory=list)


# The log read again from its first line: batches of lines, each with the number of its first line, at least those
# the callable given accepts (by their first and last line number).
Reread = Callable[[Callable[[int, int], bool]], Iterable[tuple[int, list[str]]]]


def keep_excerpts(groups: list[Group], reread: Reread, limits: ReadLimits) -> None:
    """Fill each group's excerpts from a second read of the log."""
    windows = sorted(_chosen_windows(groups, limits), key=lambda window: window.start)
    waiting = iter(windows)
    upcoming = next(waiting, None)
    open_windows: list[_Window] = []
    for first, batch in reread(_Covered.of(windows).meets):
        last = first + len(batch) - 1
        while upcoming is not None and upcoming.start <= last:
            open_windows.append(upcoming)
            upcoming = next(waiting, None)
        still_open = []
        for window in open_windows:
            window.lines.extend(map(_cut, batch[max(window.start, first) - first:min(window.end, last) - first + 1]))
            if window.end > last:
                still_open.append(window)
        open_windows = still_open
        if upcoming is None and not open_windows:
            break  # the rest of the log holds no wanted line
    for group in groups:
        group.excerpts = []
    for window in windows:
        if window.lines:
            window.group.excerpts.append(Excerpt(window.start, window.lines))
    for group in groups:
        if not group.excerpts:  # past the limit: its first event and the lines before it, which the group holds
            group.excerpts.append(first_occurrence(group))


def _cut(line: str) -> str:
    return line if len(line) <= MAX_KEPT_LINE_CHARS else line[:MAX_KEPT_LINE_CHARS] + TRUNCATION_MARKER


def _chosen_windows(groups: list[Group], limits: ReadLimits) -> list[_Window]:
    """Each group's windows, merged where they meet: first every group's first and last occurrence (in the groups'
    order, errors first), then its next occurrences, as long as the kept lines stay within the limit. A line is
    kept once however many groups it is near, so only lines no window holds yet count against the limit."""
    wanted: dict[int, list[tuple[int, int]]] = {id(group): [] for group in groups}
    budget = limits.max_kept_lines
    covered = _Covered()
    rounds = [[(group, group.first_line), (group, group.last_line)] for group in groups]
    rounds.append([(group, line) for group in groups for line in group.occurrences[1:limits.kept_occurrences]])
    for group, line in (pair for one_round in rounds for pair in one_round):
        if line <= 0:
            continue
        window = _around(group, line, limits)
        if window in wanted[id(group)]:
            continue
        new = covered.new_lines(*window)
        if new <= budget:
            wanted[id(group)].append(window)
            covered.add(*window)
            budget -= new
    chosen = []
    for group in groups:
        for start, end in _merged(wanted[id(group)]):
            chosen.append(_Window(group, start, end))
    return chosen


class _Covered:
    """The lines some window already holds, as sorted disjoint ranges."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    @classmethod
    def of(cls, windows: list[_Window]) -> _Covered:
        covered = cls()
        for window in windows:
            covered.add(window.start, window.end)
        return covered

    def meets(self, start: int, end: int) -> bool:
        """Whether a range holds any of the lines start..end."""
        index = bisect_left(self.ends, start)
        return index < len(self.starts) and self.starts[index] <= end

    def new_lines(self, start: int, end: int) -> int:
        """How many of the lines start..end no range holds yet."""
        new = end - start + 1
        for index in range(bisect_left(self.ends, start), bisect_right(self.starts, end)):
            new -= min(end, self.ends[index]) - max(start, self.starts[index]) + 1
        return new

    def add(self, start: int, end: int) -> None:
        low, high = bisect_left(self.ends, start - 1), bisect_right(self.starts, end + 1)
        if low < high:  # joins the ranges it meets
            start, end = min(start, self.starts[low]), max(end, self.ends[high - 1])
        self.starts[low:high], self.ends[low:high] = [start], [end]


def _around(group: Group, line: int, limits: ReadLimits) -> tuple[int, int]:
    # Another occurrence's last line is not known: it is taken to span as many lines as the group's events do on
    # average, so the lines kept after a stack trace follow the trace.
    span = min(math.ceil(group.lines / group.count), limits.max_example_lines) if group.count else 1
    return max(1, line - limits.context_lines), line + max(span, 1) - 1 + limits.context_after_lines


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
