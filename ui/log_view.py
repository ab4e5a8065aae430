"""The log view: numbered, level-coloured lines in a virtual scroll, with jump-to-line and a group's occurrences one
after another; the group detail and the cited lines of an answer open it."""

from __future__ import annotations

import asyncio
import bisect
import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nicegui import background_tasks, ui

from parsers import Analysis, Group
from parsers.line_levels import line_levels

# "line 42", "lines 42-45", "lines 42 and 57", "L42": how answers cite the log.
_CITATION = re.compile(r'\b(?:lines?\s+((?:\d+(?:\s*(?:-|–|,|and|to)\s*)?)+)|L(\d+)\b)', re.IGNORECASE)
# A traceback's `File "app.py", line 88`: a line of source code, not of the log.
_SOURCE_LINE = re.compile(r'File "[^"\n]*",\s*$')
CITATIONS_SHOWN = 30
LEVEL_CLASSES = {
    'FATAL': 'text-purple-800 dark:text-purple-300 border-purple-700', 'ERROR': 'text-red-700 dark:text-red-400 '
    'border-red-600', 'WARN': 'text-orange-800 dark:text-orange-300 border-orange-500',
    'INFO': 'border-blue-500', 'DEBUG': 'text-gray-600 dark:text-gray-400 border-gray-400',
    'TRACE': 'text-gray-600 dark:text-gray-400 border-gray-300', '': 'border-transparent',
}
TARGET_CLASSES = 'bg-yellow-100 dark:bg-yellow-900 font-semibold'
# One row of the virtual scroll; the text is shown as text (Vue interpolation), never as HTML.
ROW = ('<div :key="props.index" class="flex no-wrap border-l-4 pl-1" :class="props.item.c" :data-line="props.item.n">'
       '<span class="select-none shrink-0 text-right pr-3 opacity-70" style="min-width: 8ch">{{ props.item.n }}</span>'
       '<span :class="props.item.w">{{ props.item.t }}</span></div>')
SCROLL_DELAY_SECONDS = 0.1
WRAPPED, UNWRAPPED = 'whitespace-pre-wrap break-all min-w-0', 'whitespace-pre'


@dataclass(frozen=True, slots=True)
class LogLines:
    """Lines of a log by number: the whole log, or the lines an analysis kept (with gaps between them)."""

    numbers: Sequence[int]  # ascending
    texts: Sequence[str]  # in the order of `numbers`
    total: int  # lines in the log, 0 when not known
    whole: bool

    @classmethod
    def kept(cls, groups: Iterable[Group], total: int) -> LogLines:
        found: dict[int, str] = {}
        for group in groups:
            for excerpt in group.excerpts:
                for offset, line in enumerate(excerpt.lines):
                    found.setdefault(excerpt.first_line + offset, line)
        numbers = sorted(found)
        return cls(numbers, [found[number] for number in numbers], total, whole=False)

    @classmethod
    def of_log(cls, text: str) -> LogLines:
        lines = text.split('\n')
        return cls(range(1, len(lines) + 1), lines, len(lines), whole=True)

    def __contains__(self, number: int) -> bool:
        index = bisect.bisect_left(self.numbers, number)
        return index < len(self.numbers) and self.numbers[index] == number

    def nearest(self, number: int) -> int:
        """The index of the line `number`, or of the kept line nearest to it."""
        index = bisect.bisect_left(self.numbers, number)
        if index == len(self.numbers) or (index and number - self.numbers[index - 1] < self.numbers[index] - number):
            index -= 1
        return max(index, 0)


class LogView:
    """Lines in a virtual scroll, `window` at a time around the line shown; with a group's occurrences (the ones
    among the lines), previous and next step through them."""

    def __init__(self, lines: LogLines, *, formats: Sequence[str], window: int, occurrences: Sequence[int] = (),
                 total_occurrences: int = 0) -> None:
        self.lines = lines
        self.formats = list(formats)
        self.window = window
        self.occurrences = [line for line in occurrences if line in lines]
        self.total_occurrences = total_occurrences
        self.target = 0
        self.wrap = True
        with ui.row().classes('w-full items-center gap-2 flex-wrap'):
            self.jump = ui.number('Go to line', min=1, max=lines.total or None, precision=0).props(
                'outlined dense aria-label="Go to line"').classes('w-36').on('keydown.enter', lambda: self._jump())
            ui.button('Go', on_click=self._jump).props('outline dense no-caps aria-label="Go to the line typed"')
            if self.occurrences:
                ui.button('Previous occurrence', icon='arrow_upward', on_click=lambda: self._step(-1)).props(
                    'flat dense no-caps').mark('previous-occurrence')
                ui.button('Next occurrence', icon='arrow_downward', on_click=lambda: self._step(1)).props(
                    'flat dense no-caps').mark('next-occurrence')
            ui.switch('Wrap long lines', value=True, on_change=lambda event: self._set_wrap(event.value))
        self.status = ui.label().props('role=status aria-live=polite').classes('text-sm').mark('log-status')
        if lines.whole:
            with ui.row().classes('gap-2'):
                ui.button('Earlier lines', icon='expand_less', on_click=lambda: self._shift(-1)).props(
                    'flat dense no-caps')
                ui.button('Later lines', icon='expand_more', on_click=lambda: self._shift(1)).props(
                    'flat dense no-caps')
        self.scroll = ui.element('q-virtual-scroll').props(
            'virtual-scroll-item-size=18 role=region aria-label="Log lines"'
        ).classes('w-full font-mono text-xs rounded bg-gray-50 dark:bg-gray-900').style('max-height: 60vh').mark(
            'log-lines')
        self.scroll.add_slot('default', ROW)
        self.target_row = 0
        # Its rows exist only once it is on the page (a dialog adds it when it opens): then it scrolls to the target.
        self.scroll.on('vnodeMounted', lambda: self.scroll.run_method('scrollTo', self.target_row, 'center-force'),
                       args=[])

    def show(self, number: int) -> None:
        """Show line `number` (the nearest kept one when it was not kept) with the lines around it."""
        if not self.lines.numbers:
            self.status.text = 'No lines of this log were kept: keep uploads to see the whole log.'
            return
        index = self.lines.nearest(number)
        self.target = self.lines.numbers[index]
        start = max(0, min(index - self.window // 2, len(self.lines.numbers) - self.window))
        rows, self.target_row = self._rows(start, min(start + self.window, len(self.lines.numbers)), index)
        self.scroll.props['items'] = rows
        self.scroll.update()
        background_tasks.create(self._scroll_later(), name='scroll log view')
        self.status.text = self._where(number)

    async def _scroll_later(self) -> None:
        # The browser draws new rows after the message that sets them: scrolling in that same message would go by
        # the old rows, so it is asked for in a later one.
        await asyncio.sleep(SCROLL_DELAY_SECONDS)
        if not self.scroll.is_deleted:
            self.scroll.run_method('scrollTo', self.target_row, 'center-force')

    def _rows(self, start: int, end: int, target: int) -> tuple[list[dict[str, Any]], int]:
        numbers, texts = self.lines.numbers, self.lines.texts
        levels = line_levels(texts[start:end], self.formats)
        rows: list[dict[str, Any]] = []
        at = 0
        previous = numbers[start] - 1 if self.lines.whole else 0
        wrap = WRAPPED if self.wrap else UNWRAPPED
        for index in range(start, end):
            number = numbers[index]
            if number > previous + 1:
                left_out = number - previous - 1
                rows.append({'n': '…', 't': f'{left_out:,} line{"s" * (left_out > 1)} not kept', 'w': wrap,
                             'c': 'italic text-gray-600 dark:text-gray-400 border-transparent'})
            if index == target:
                at = len(rows)
            level = LEVEL_CLASSES.get(levels[index - start], '')
            rows.append({'n': number, 't': texts[index], 'w': wrap,
                         'c': f'{level} {TARGET_CLASSES}' if index == target else level})
            previous = number
        return rows, at

    def _where(self, asked: int) -> str:
        said = f'Line {self.target:,}' + (f' of {self.lines.total:,}' if self.lines.total else '')
        if asked != self.target:
            said = f'Line {asked:,} was not kept; the nearest kept line is shown. {said}'
        if self.target in self.occurrences:
            place = self.occurrences.index(self.target) + 1
            said += (f': occurrence {place} of the {len(self.occurrences)} shown here '
                     f'({self.total_occurrences:,} in the log)')
        return said + '.'

    def _jump(self) -> None:
        if self.jump.value is None:
            ui.notify('Type a line number first.')
            return
        self.show(int(self.jump.value))

    def _step(self, direction: int) -> None:
        if direction > 0:
            following = [line for line in self.occurrences if line > self.target]
            self.show(following[0] if following else self.occurrences[0])
        else:
            earlier = [line for line in self.occurrences if line < self.target]
            self.show(earlier[-1] if earlier else self.occurrences[-1])

    def _shift(self, direction: int) -> None:
        self.show(max(1, min(self.lines.total, self.target + direction * self.window // 2)))

    def _set_wrap(self, wrap: bool) -> None:
        self.wrap = wrap
        if self.target:
            self.show(self.target)


def kept_occurrences(group: Group) -> list[int]:
    """The lines of a group's occurrences that the analysis names: those listed, and its last one."""
    return sorted({*group.occurrences, *([group.last_line] if group.last_line else [])})


def group_detail(group: Group, *, on_diagnose: Callable[[int], Any] | None = None,
                 close: Callable[[], Any] | None = None) -> None:
    """One group in full: what it is, and its occurrences in the lines kept around them, from its first on."""
    with ui.row().classes('w-full items-start gap-2 no-wrap'):
        ui.label(group.template).classes('font-mono text-sm grow break-all')
        if close:
            ui.button(icon='close', on_click=close).props('flat round dense aria-label="Close"')
    level = (group.level + (' (inferred from the message: the log writes no level)'
                            if group.level_source == 'inferred' else '')) if group.level else 'No level'
    facts = [level, f'{group.count:,} times']
    if group.first_seen:
        facts.append(f'first {clock(group.first_seen)}, last {clock(group.last_seen) if group.last_seen else ""}')
    facts += [f'{name}: {value}' for name, value in
              (('format', group.format), ('component', group.component), ('exception', group.exception)) if value]
    ui.label(' · '.join(facts)).classes('text-sm text-gray-600 break-all')
    lines = LogLines.kept([group], 0)
    ui.label(f'First occurrence, line {group.first_line:,}' + (
        f'; last occurrence, line {group.last_line:,}' if group.count > 1 and group.last_line else '')).classes(
        'text-sm font-semibold')
    view = LogView(lines, formats=[group.format], window=max(len(lines.numbers), 1),
                   occurrences=kept_occurrences(group), total_occurrences=group.count)
    view.show(group.first_line)
    occurrences = group.occurrences
    listed = ', '.join(str(line) for line in occurrences)
    more = f' (the first {len(occurrences):,} of {group.count:,})' if group.count > len(occurrences) else ''
    ui.label(f'Seen at lines{more}: {listed}').classes('text-sm break-words')
    if on_diagnose:
        ui.button('Diagnose this group', icon='auto_awesome', on_click=lambda: on_diagnose(group.id)).props('outline')


def clock(moment: datetime) -> str:
    return moment.strftime('%Y-%m-%d %H:%M:%S')


def cited_lines(markdown: str, log_lines: int | None = None) -> list[int]:
    """The log line numbers an answer cites, in order of first mention: not a traceback's source line numbers
    (`File "app.py", line 88`), nor a number past the end of the log when its length is given."""
    found: dict[int, None] = {}
    for match in _CITATION.finditer(markdown):
        if _SOURCE_LINE.search(markdown, markdown.rfind('\n', 0, match.start()) + 1, match.start()):
            continue
        if match.group(2):
            numbers = [int(match.group(2))]
        else:
            numbers = [int(number) for number in re.findall(r'\d+', match.group(1))]
            ranged = re.search(r'\d+\s*(?:-|–|to)\s*\d+', match.group(1))
            if ranged and len(numbers) == 2 and 0 <= numbers[1] - numbers[0] <= 50:
                numbers = list(range(numbers[0], numbers[1] + 1))
        found.update(dict.fromkeys(number for number in numbers if log_lines is None or 1 <= number <= log_lines))
    return list(found)


# Loads the whole redacted log when uploads are kept; None when it was not kept.
WholeLog = Callable[[], Awaitable[str | None]]
# Opens the log view at a line.
OpenLine = Callable[[int], Awaitable[None]]


def citation_links(markdown: str, log_lines: int, open_line: OpenLine) -> None:
    """Buttons for the log lines an answer cites, each opening the log view at that line."""
    cited = cited_lines(markdown, log_lines)
    if not cited:
        return
    with ui.row().classes('items-center gap-1 flex-wrap'):
        ui.label('Cited lines:').classes('text-sm text-gray-600')
        for number in cited[:CITATIONS_SHOWN]:
            ui.button(f'Line {number}', on_click=lambda number=number: open_line(number)).props(
                f'flat dense no-caps size=sm aria-label="Open line {number}"'
            )


def log_dialog(analysis: Analysis, *, window: int, whole_log: WholeLog | None = None) -> OpenLine:
    """A dialog with the log view; returns how to open it at a line. The whole log is shown when it was kept,
    else the lines the analysis kept; stepping goes through the occurrences of the group that line is one of."""
    dialog = ui.dialog().props('maximized-on-mobile aria-label="Log lines"')
    loaded: list[LogLines] = []

    async def open_line(number: int) -> None:
        if not loaded:
            text = await whole_log() if whole_log else None
            loaded.append(LogLines.of_log(text) if text is not None else LogLines.kept(analysis.groups,
                                                                                        analysis.lines))
        lines = loaded[0]
        group = next((group for group in analysis.groups if number in kept_occurrences(group)), None)
        dialog.clear()
        with dialog, ui.card().classes('w-full max-w-5xl'):
            with ui.row().classes('w-full items-center no-wrap'):
                title = f'Line {number:,}' + (f': {group.template}' if group else '')
                ui.label(title).classes('text-lg font-semibold grow break-all')
                ui.button(icon='close', on_click=dialog.close).props('flat round dense aria-label="Close"')
            if not lines.whole:
                ui.label("The lines the analysis kept around each group's occurrences; keep uploads to see the "
                         'whole log.').classes('text-sm text-gray-600')
            view = LogView(lines, formats=list(analysis.formats), window=window,
                           occurrences=kept_occurrences(group) if group else (),
                           total_occurrences=group.count if group else 0)
            view.show(number)
        dialog.open()

    return open_line
