"""How a saved analysis looks: what went wrong, summary cards, timeline, a group's detail; shared by results and share
pages (the groups table is ui/groups_view.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from parsers import ERROR_LEVELS, LEVELS, Analysis, Group, top_incidents
from parsers.titles import group_title
from ui.frame import follow_theme

LEVEL_COLOURS = {
    'FATAL': '#862e9c', 'ERROR': '#e03131', 'WARN': '#f08c00', 'INFO': '#1c7ed6', 'DEBUG': '#868e96',
    'TRACE': '#adb5bd', '': '#ced4da',
}
# Chart text at 4.5:1 or more on the card of each theme; axis and grid lines fainter than the text in both.
CHART_INK = {False: {'text': '#4a5565', 'axis': '#9ca3af', 'grid': '#e5e7eb'},
             True: {'text': '#c9d1d9', 'axis': '#6b7280', 'grid': '#3a3f47'}}
NO_LEVEL = 'No level'
# "line 42", "lines 42-45", "lines 42 and 57", "L42": how answers cite the log.
_CODE = re.compile(r'(```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`)', re.DOTALL)
_CITATION = re.compile(r'\b(?:lines?\s+((?:\d+(?:\s*(?:-|–|,|and|to)\s*)?)+)|L(\d+)\b)', re.IGNORECASE)
INCIDENTS_SHOWN = 3
# Enough of a message to recognise it; the group's detail has the whole event.
HEADLINE_CHARS = 300


def what_went_wrong(analysis: Analysis, open_group: Callable[[int], Any]) -> None:
    """The story first: the most incident-like groups, a sentence each, each opening its full event."""
    incidents = top_incidents(analysis, INCIDENTS_SHOWN)
    with ui.card().classes('w-full gap-2').props('role=region aria-label="What went wrong"'):
        ui.label('What went wrong').classes('text-lg font-semibold')
        if not incidents:
            ui.label('No errors or incident-like events found.').props('role=status')
            return
        for rank, group in enumerate(incidents, start=1):
            with ui.row().classes('w-full items-start gap-2 no-wrap max-sm:flex-wrap'):
                ui.label(incident_sentence(group)).classes('grow min-w-0 break-words').mark(f'incident-{rank}')
                ui.button('Open', icon='article', on_click=lambda group_id=group.id: open_group(group_id)).props(
                    f'outline dense no-caps aria-label="Open incident {rank}: its full event and the lines before it"'
                ).mark(f'open-incident-{rank}')


def incident_sentence(group: Group) -> str:
    """What happened, how often, when, and why it ranks high, in one sentence of plain text."""
    headline = _headline(group)
    # A line the format was not recognised in keeps its level word in the template: said once is enough.
    level = f'{group.level} ' if group.level and not headline.startswith(group.level) else ''
    often = 'once' if group.count == 1 else f'{group.count:,} times'
    why = '; '.join(group.incident_reasons.values())
    return (f'{level}"{headline}" happened {often}, {_when(group)}'
            + (f'; it ranks high because: {why}.' if why else '.'))


def _headline(group: Group) -> str:
    text = group_title(group)
    return text if len(text) <= HEADLINE_CHARS else text[:HEADLINE_CHARS - 1] + '…'


def _when(group: Group) -> str:
    # Times when the log has them; line numbers otherwise (the last one only when every occurrence was kept).
    first = f'line {group.first_line:,}'
    if group.first_seen:
        first = f'{_clock(group.first_seen)} (line {group.first_line:,})'
    if group.count == 1:
        return f'at {first}'
    last_line = group.occurrences[-1] if group.occurrences and len(group.occurrences) >= group.count else None
    if group.first_seen and group.last_seen:
        return f'first at {first}, last at {_clock(group.last_seen)}'
    if last_line is not None:
        return f'first at {first}, last at line {last_line:,}'
    return f'first at {first}'


def summary_cards(file_name: str, summary: dict[str, Any]) -> None:
    counts = summary['level_counts']
    errors = sum(counts.get(level, 0) for level in ERROR_LEVELS)
    warnings = counts.get('WARN', 0)
    span = _time_span(summary.get('first_timestamp'), summary.get('last_timestamp'))
    formats = ', '.join(summary['formats']) or 'not recognized'
    ui.label(file_name).classes('text-2xl font-semibold break-all')
    inferred = sum(summary.get('inferred_level_counts', {}).get(level, 0) for level in ERROR_LEVELS)
    said = f' ({inferred} inferred from the messages)' if inferred else ''
    sentence = f'{summary["lines"]} lines, {summary["events"]} events, {errors} errors{said}, {warnings} warnings'
    ui.label(sentence + (f', {span}' if span else '') + '.').props('role=status').classes('text-gray-600')
    with ui.element('div').classes('grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-6 gap-3 w-full'):
        _stat('Lines', f'{summary["lines"]:,}', 'notes')
        _stat('Events', f'{summary["events"]:,}', 'view_agenda')
        _stat('Errors', f'{errors:,}', 'error', 'text-red-700 dark:text-red-400' if errors else '')
        _stat('Warnings', f'{warnings:,}', 'warning', 'text-orange-700 dark:text-orange-400' if warnings else '')
        _stat('Time span', span or 'no timestamps', 'schedule')
        _stat('Formats', formats, 'category')
    if summary.get('truncated_lines'):
        ui.label(f'{summary["truncated_lines"]} over-long lines were cut.').classes('text-sm text-gray-600')


def _stat(name: str, value: str, icon: str, value_classes: str = '') -> None:
    with ui.card().classes('p-3 gap-1 min-w-0').props('flat bordered'):
        with ui.row().classes('items-center gap-1 text-gray-500 text-xs uppercase no-wrap'):
            ui.icon(icon, size='xs').props('aria-hidden=true')
            ui.label(name)
        ui.label(value).classes(f'text-lg font-semibold break-words {value_classes}')


def _time_span(first: str | None, last: str | None) -> str:
    if not first or not last:
        return ''
    start, end = datetime.fromisoformat(first), datetime.fromisoformat(last)
    seconds = (end - start).total_seconds()
    for unit, size in (('day', 86400), ('hour', 3600), ('minute', 60)):
        if seconds >= size:
            amount = seconds / size
            return f'{amount:.1f} {unit}s from {start:%Y-%m-%d %H:%M}'
    return f'{seconds:.0f} seconds from {start:%Y-%m-%d %H:%M:%S}'


def timeline_card(summary: dict[str, Any]) -> None:
    """Events per level over time, and how the levels add up; nothing to chart is said in words."""
    counts = {level: count for level, count in summary['level_counts'].items() if count}
    buckets = summary.get('timeline') or []
    with ui.card().classes('w-full'):
        ui.label('Events over time').classes('text-lg font-semibold')
        with ui.element('div').classes('grid grid-cols-1 md:grid-cols-3 gap-4 w-full'):
            with ui.element('div').classes('md:col-span-2 min-w-0'):
                if buckets:
                    _chart(_timeline_options(buckets), 'Events per level over time').classes('w-full h-64')
                else:
                    ui.label('The log has no timestamps to draw a timeline from.').classes('text-sm text-gray-600')
            with ui.element('div').classes('min-w-0'):
                if counts:
                    described = ', '.join(f'{level or NO_LEVEL} {count:,}' for level, count in counts.items())
                    # On a phone the donut stays small enough to leave room for the groups below it.
                    _chart(_levels_options(counts), f'Events per level: {described}').classes(
                        'w-full h-64 max-sm:h-44'
                    )
                else:
                    ui.label('No levels found in this log.').classes('text-sm text-gray-600')


def _chart(options: dict[str, Any], description: str) -> ui.echart:
    """A chart in the theme's colours, described in words for screen readers.

    SVG rather than canvas: the text stays sharp when zoomed, and its colours are in the page for checks to read.
    """
    chart = ui.echart(options, renderer='svg').props('role=img')
    chart.props['aria-label'] = description

    def ink(dark: bool) -> None:
        colours = CHART_INK[dark]
        chart.options['legend']['textStyle'] = {'color': colours['text']}
        for name in ('xAxis', 'yAxis'):
            if name in chart.options:
                chart.options[name].update({
                    'axisLabel': {**chart.options[name].get('axisLabel', {}), 'color': colours['text']},
                    'axisLine': {'lineStyle': {'color': colours['axis']}},
                    'axisTick': {'lineStyle': {'color': colours['axis']}},
                    'splitLine': {'lineStyle': {'color': colours['grid']}},
                })
        chart.update()

    follow_theme(ink)
    return chart


def _timeline_options(buckets: list[dict[str, Any]]) -> dict[str, Any]:
    # Events without a level are drawn too: a log that writes none still shows when things happened.
    present = [level for level in ('NONE', *LEVELS) if any(bucket['counts'].get(level) for bucket in buckets)]
    return {
        'tooltip': {'trigger': 'axis'},
        'legend': {'top': 0},
        'grid': {'left': 40, 'right': 10, 'top': 30, 'bottom': 30},
        'xAxis': {'type': 'time'},
        'yAxis': {'type': 'value', 'minInterval': 1},
        'series': [
            {'name': NO_LEVEL if level == 'NONE' else level, 'type': 'bar', 'stack': 'events',
             'color': LEVEL_COLOURS['' if level == 'NONE' else level],
             'data': [[bucket['start'], bucket['counts'].get(level, 0)] for bucket in buckets]}
            for level in present
        ],
    }


def _levels_options(counts: dict[str, int]) -> dict[str, Any]:
    return {
        'tooltip': {'trigger': 'item'},
        'legend': {'bottom': 0},
        'series': [{
            'type': 'pie', 'radius': ['40%', '70%'], 'label': {'show': False},
            'data': [{'name': level or NO_LEVEL, 'value': count, 'itemStyle': {'color': LEVEL_COLOURS[level]}}
                     for level, count in counts.items()],
        }],
    }


def _level_text(group: dict[str, Any], inferred: str, missing: str) -> str:
    if not group['level']:
        return missing
    return str(group['level']) + (inferred if group.get('level_source') == 'inferred' else '')


def _moment(value: str | None) -> str:
    return _clock(datetime.fromisoformat(value)) if value else ''


def _clock(moment: datetime) -> str:
    return moment.strftime('%Y-%m-%d %H:%M:%S')


def group_detail(group: dict[str, Any], *, on_diagnose: Callable[[int], Any] | None = None,
                 close: Callable[[], Any] | None = None) -> None:
    """One group in full: what it is, its first event with the lines before it, and where else it happened."""
    with ui.row().classes('w-full items-start gap-2 no-wrap'):
        ui.label(group['template']).classes('font-mono text-sm grow break-all')
        if close:
            ui.button(icon='close', on_click=close).props('flat round dense aria-label="Close"')
    facts = [_level_text(group, ' (inferred from the message: the log writes no level)', NO_LEVEL),
             f'{group["count"]:,} times']
    if group.get('first_seen'):
        facts.append(f'first {_moment(group["first_seen"])}, last {_moment(group.get("last_seen"))}')
    for name in ('format', 'component', 'exception'):
        if group.get(name):
            facts.append(f'{name}: {group[name]}')
    ui.label(' · '.join(facts)).classes('text-sm text-gray-600 break-all')
    first_line = group['first_line']
    context = group.get('context_before') or []
    if context:
        with ui.expansion(f'{len(context)} lines before the first occurrence', icon='history').classes('w-full'):
            numbered_lines(context, first_line - len(context))
    example_lines = group['example'].split('\n')
    with ui.expansion(f'First occurrence, line {first_line} ({len(example_lines)} lines)', icon='article',
                      value=True).classes('w-full'):
        numbered_lines(example_lines, first_line)
    occurrences = group.get('occurrences') or []
    listed = ', '.join(str(line) for line in occurrences)
    more = f' (the first {len(occurrences):,} of {group["count"]:,})' if group['count'] > len(occurrences) else ''
    ui.label(f'Seen at lines{more}: {listed}').classes('text-sm break-words')
    if on_diagnose:
        ui.button('Diagnose this group', icon='auto_awesome', on_click=lambda: on_diagnose(group['id'])).props(
            'outline'
        )


def numbered_lines(lines: list[str], first_number: int) -> None:
    width = len(str(first_number + len(lines)))
    text = '\n'.join(f'{number:>{width}} │ {line}' for number, line in enumerate(lines, start=first_number))
    # Log text is shown as text, never as HTML.
    ui.label(text).classes('font-mono text-xs whitespace-pre overflow-x-auto w-full p-2 rounded bg-gray-100 '
                           'dark:bg-gray-800')


def diagnosis_text(markdown: str) -> ui.markdown:
    # Model and log text is untrusted: raw HTML in it is shown as text, and ui.markdown sanitizes what it renders.
    return ui.markdown(html_as_text(markdown)).classes('w-full diagnosis')


def html_as_text(markdown: str) -> str:
    """Markdown in which raw HTML (`<script>`, `<img onerror=...>`, placeholders like `<EMAIL_1>`) reads as text.

    Code spans and blocks are left alone: Markdown already shows their `<` as text.
    """
    parts = _CODE.split(markdown)
    return ''.join(part if index % 2 else part.replace('<', '&lt;') for index, part in enumerate(parts))


def cited_lines(markdown: str) -> list[int]:
    """The line numbers an answer cites, in order of first mention."""
    found: dict[int, None] = {}
    for match in _CITATION.finditer(markdown):
        if match.group(2):
            found[int(match.group(2))] = None
            continue
        numbers = [int(number) for number in re.findall(r'\d+', match.group(1))]
        ranged = re.search(r'\d+\s*(?:-|–|to)\s*\d+', match.group(1))
        if ranged and len(numbers) == 2 and 0 <= numbers[1] - numbers[0] <= 50:
            numbers = list(range(numbers[0], numbers[1] + 1))
        found.update(dict.fromkeys(numbers))
    return list(found)


def known_lines(groups: list[dict[str, Any]]) -> dict[int, str]:
    """Every log line the analysis kept, by number: each group's first event and the lines before it."""
    lines: dict[int, str] = {}
    for group in groups:
        context = group.get('context_before') or []
        start = group['first_line'] - len(context)
        for offset, line in enumerate([*context, *group['example'].split('\n')]):
            lines.setdefault(start + offset, line)
    return lines


def citation_links(markdown: str, groups: list[dict[str, Any]]) -> None:
    """Buttons for the lines an answer cites, each opening those lines with what surrounds them."""
    cited = cited_lines(markdown)
    if not cited:
        return
    lines = known_lines(groups)
    viewer = ui.dialog().props('aria-label="Cited lines"')
    with ui.row().classes('items-center gap-1 flex-wrap'):
        ui.label('Cited lines:').classes('text-sm text-gray-600')
        for number in cited[:30]:
            ui.button(f'Line {number}', on_click=lambda number=number: open_line(number)).props(
                f'flat dense no-caps size=sm aria-label="Open line {number}"'
            )

    def open_line(number: int) -> None:
        viewer.clear()
        nearby = [n for n in range(number - 5, number + 6) if n in lines]
        with viewer, ui.card().classes('w-full max-w-4xl'):
            with ui.row().classes('w-full items-center'):
                ui.label(f'Line {number}').classes('text-lg font-semibold grow')
                ui.button(icon='close', on_click=viewer.close).props('flat round dense aria-label="Close"')
            if number not in lines:
                ui.label('This line is not among the lines the analysis kept (each group keeps its first event '
                         'and the lines before it).').classes('text-sm')
            runs = _consecutive(nearby)
            for run in runs:
                numbered_lines([lines[n] for n in run], run[0])
        viewer.open()


def _consecutive(numbers: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for number in numbers:
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs
