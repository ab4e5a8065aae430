"""How a saved analysis opens: what went wrong, the summary cards and the diagnosis text; shared by the results and
share pages (the groups table, timeline and log view have modules of their own)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nicegui import ui

from parsers import ERROR_LEVELS, Analysis, Group, top_incidents
from parsers.timestamps import sort_key
from parsers.titles import group_title
from ui.log_view import clock

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
    text = group_title(group)
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


def summary_cards(file_name: str, analysis: Analysis) -> None:
    counts = analysis.level_counts
    errors = sum(counts.get(level, 0) for level in ERROR_LEVELS)
    warnings = counts.get('WARN', 0)
    span = _time_span(analysis.first_timestamp, analysis.last_timestamp)
    formats = ', '.join(analysis.formats) or 'not recognized'
    ui.label(file_name).classes('text-2xl font-semibold break-all')
    inferred = sum(analysis.inferred_level_counts.get(level, 0) for level in ERROR_LEVELS)
    said = f' ({inferred} inferred from the messages)' if inferred else ''
    sentence = f'{analysis.lines} lines, {analysis.events} events, {errors} errors{said}, {warnings} warnings'
    ui.label(sentence + (f', {span}' if span else '') + '.').props('role=status').classes('text-gray-600')
    with ui.element('div').classes('grid grid-cols-2 sm:grid-cols-3 lg:grid-cols-6 gap-3 w-full'):
        _stat('Lines', f'{analysis.lines:,}', 'notes')
        _stat('Events', f'{analysis.events:,}', 'view_agenda')
        _stat('Errors', f'{errors:,}', 'error', 'text-red-700 dark:text-red-400' if errors else '')
        _stat('Warnings', f'{warnings:,}', 'warning', 'text-orange-700 dark:text-orange-400' if warnings else '')
        _stat('Time span', span or 'no timestamps', 'schedule')
        _stat('Formats', formats, 'category')
    if analysis.truncated_lines:
        ui.label(f'{analysis.truncated_lines} over-long lines were cut.').classes('text-sm text-gray-600')


def _stat(name: str, value: str, icon: str, value_classes: str = '') -> None:
    with ui.card().classes('p-3 gap-1 min-w-0').props('flat bordered'):
        with ui.row().classes('items-center gap-1 text-gray-500 text-xs uppercase no-wrap'):
            ui.icon(icon, size='xs').props('aria-hidden=true')
            ui.label(name)
        ui.label(value).classes(f'text-lg font-semibold break-words {value_classes}')


def _time_span(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return ''
    # Saved before one analysis held one kind of time, the two can differ in having a zone: compare them in UTC.
    seconds = (sort_key(end) - sort_key(start)).total_seconds()
    for unit, size in (('day', 86400), ('hour', 3600), ('minute', 60)):
        if seconds >= size:
            amount = seconds / size
            return f'{amount:.1f} {unit}s from {start:%Y-%m-%d %H:%M}'
    return f'{seconds:.0f} seconds from {start:%Y-%m-%d %H:%M:%S}'


def diagnosis_text(markdown: str) -> ui.markdown:
    # Model and log text is untrusted: raw HTML in it is shown as text, and ui.markdown sanitizes what it renders.
    return ui.markdown(html_as_text(markdown)).classes('w-full diagnosis')


def html_as_text(markdown: str) -> str:
    """Markdown in which raw HTML (`<script>`, `<img onerror=...>`, placeholders like `<EMAIL_1>`) reads as text.

    Code spans and blocks are left alone: Markdown already shows their `<` as text.
    """
    parts = _CODE.split(markdown)
    return ''.join(part if index % 2 else part.replace('<', '&lt;') for index, part in enumerate(parts))
