"""How a saved analysis looks: summary cards, timeline, groups and their details; shared by results and share pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from parsers import ERROR_LEVELS, LEVELS, Analysis, Group, top_incidents
from ui.log_view import clock, group_detail
from ui.timeline_view import NO_LEVEL, SPARKLINE_SLOT, TimeFilter

GROUPS_SHOWN = 500
ANY_LEVEL = 'Any level'
_WIDE_ONLY = {'classes': 'max-sm:hidden', 'headerClasses': 'max-sm:hidden'}
ROW_CHECKBOX = '<q-checkbox v-model="props.selected" dense :aria-label="`Details of ${props.row.template}`" />'
_CODE = re.compile(r'(```.*?(?:```|$)|~~~.*?(?:~~~|$)|`[^`\n]*`)', re.DOTALL)
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
    """The exception and its message when the event carries them (a trace ends with them), else the template."""
    text = group.template
    if group.exception:
        stated = [line.strip() for line in group.example.split('\n') if group.exception in line]
        text = stated[-1] if stated else group.template
    return text if len(text) <= HEADLINE_CHARS else text[:HEADLINE_CHARS - 1] + '…'


def _when(group: Group) -> str:
    # Times when the log has them; line numbers otherwise (the last one only when every occurrence was kept).
    first = f'line {group.first_line:,}'
    if group.first_seen:
        first = f'{clock(group.first_seen)} (line {group.first_line:,})'
    if group.count == 1:
        return f'at {first}'
    last_line = group.occurrences[-1] if group.occurrences and len(group.occurrences) >= group.count else None
    if group.first_seen and group.last_seen:
        return f'first at {first}, last at {clock(group.last_seen)}'
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


def groups_explorer(groups: list[dict[str, Any]], *, on_diagnose: Callable[[int], Any] | None = None,
                    time_filter: TimeFilter | None = None) -> Callable[[int], None]:
    """Every group, filterable by level and text, sortable; a row opens the group's full detail.

    With a time filter, each row has its sparkline and the table lists the groups of the stretch of time it holds.
    Returns how to open any group's detail, listed or not.
    """
    shown = groups[:GROUPS_SHOWN]
    by_id = {group['id']: group for group in groups}
    levels = [level for level in LEVELS if any(group['level'] == level for group in shown)]
    if any(not group['level'] for group in shown):
        levels.append(NO_LEVEL)
    with ui.card().classes('w-full max-sm:px-1'):
        with ui.row().classes('w-full items-center gap-3 flex-wrap'):
            ui.label('Event groups').classes('text-lg font-semibold grow')
            level_filter = ui.select([ANY_LEVEL, *levels], value=ANY_LEVEL, label='Level',
                                     on_change=lambda: refilter()).props('outlined dense aria-label="Filter by level"')
            text_filter = ui.input('Search messages', on_change=lambda: refilter()).props(
                'outlined dense clearable debounce=200 aria-label="Search messages"'
            ).classes('w-64 max-sm:w-full')
        if len(groups) > len(shown):
            ui.label(f'The {len(shown)} largest of {len(groups)} groups are listed.').classes('text-sm text-gray-600')
        columns: list[dict[str, Any]] = [
            {'name': 'level', 'label': 'Level', 'field': 'level', 'sortable': True, 'align': 'left'},
            {'name': 'count', 'label': 'Count', 'field': 'count', 'sortable': True, 'align': 'right'},
            {'name': 'template', 'label': 'Message', 'field': 'template', 'align': 'left',
             'classes': 'font-mono text-xs whitespace-pre-wrap break-all min-w-64 max-sm:min-w-0'},
            # A phone shows the message instead of these; the group's detail has them.
            {'name': 'first_seen', 'label': 'First seen', 'field': 'first_seen', 'sortable': True, **_WIDE_ONLY},
            {'name': 'last_seen', 'label': 'Last seen', 'field': 'last_seen', 'sortable': True, **_WIDE_ONLY},
            {'name': 'first_line', 'label': 'First line', 'field': 'first_line', 'sortable': True, 'align': 'right',
             **_WIDE_ONLY},
        ]
        if time_filter is not None:
            columns.insert(2, {'name': 'activity', 'label': 'Over time', 'field': 'activity', **_WIDE_ONLY})
        table = ui.table(columns=columns, rows=[], row_key='id', selection='single',
                         pagination={'rowsPerPage': 25, 'sortBy': None}).classes('w-full')
        table.props('flat dense wrap-cells aria-label="Event groups" no-data-label="No group matches the filter"')
        # Each row's checkbox opens the group: named after it, where Quasar's own has no name.
        table.add_slot('body-selection', ROW_CHECKBOX)
        if time_filter is not None:
            table.add_slot('body-cell-activity', SPARKLINE_SLOT)
            time_filter.on_change(lambda: refilter())
        table.on('rowClick', lambda event: show_detail(event.args[1]['id']))
        table.on_select(lambda event: show_detail(event.selection[0]['id']) if event.selection else None)
        detail = ui.dialog().props('maximized-on-mobile aria-label="Group details"')

    def refilter() -> None:
        wanted_level = level_filter.value
        needle = (text_filter.value or '').lower()
        table.rows = [
            _row(group) for group in shown
            if (wanted_level == ANY_LEVEL or (group['level'] or NO_LEVEL) == wanted_level)
            and (not needle or needle in group['template'].lower())
            and (time_filter is None or time_filter.admits(group['id']))
        ]
        if time_filter is not None:
            for row in table.rows:
                row['activity'], row['activity_text'] = time_filter.sparkline(row['id'])
        table.update()

    def show_detail(group_id: int) -> None:
        detail.clear()
        with detail, ui.card().classes('w-full max-w-4xl'):
            group_detail(Group.from_dict(by_id[group_id]),
                         on_diagnose=on_diagnose and (lambda chosen: diagnose(chosen)), close=detail.close)
        detail.open()
        table.selected = []

    def diagnose(group_id: int) -> None:
        detail.close()
        if on_diagnose:
            on_diagnose(group_id)

    refilter()
    return show_detail


def _row(group: dict[str, Any]) -> dict[str, Any]:
    return {
        'id': group['id'], 'level': _level_text(group, ' (inferred)', '-'), 'count': group['count'],
        'template': group['template'],
        'first_seen': _moment(group.get('first_seen')), 'last_seen': _moment(group.get('last_seen')),
        'first_line': group['first_line'],
    }


def _level_text(group: dict[str, Any], inferred: str, missing: str) -> str:
    if not group['level']:
        return missing
    return str(group['level']) + (inferred if group.get('level_source') == 'inferred' else '')


def _moment(value: str | None) -> str:
    return clock(datetime.fromisoformat(value)) if value else ''


def diagnosis_text(markdown: str) -> ui.markdown:
    # Model and log text is untrusted: raw HTML in it is shown as text, and ui.markdown sanitizes what it renders.
    return ui.markdown(html_as_text(markdown)).classes('w-full diagnosis')


def html_as_text(markdown: str) -> str:
    """Markdown in which raw HTML (`<script>`, `<img onerror=...>`, placeholders like `<EMAIL_1>`) reads as text.

    Code spans and blocks are left alone: Markdown already shows their `<` as text.
    """
    parts = _CODE.split(markdown)
    return ''.join(part if index % 2 else part.replace('<', '&lt;') for index, part in enumerate(parts))
