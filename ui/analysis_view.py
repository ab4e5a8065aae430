"""How a saved analysis looks: summary, groups and diagnosis, shared by the results and share pages."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from parsers import ERROR_LEVELS

GROUPS_SHOWN = 200


def summary_card(file_name: str, summary: dict[str, Any]) -> None:
    levels = ', '.join(f'{level} {count}' for level, count in summary['level_counts'].items() if count)
    formats = ', '.join(summary['formats']) or 'not recognized'
    with ui.card().classes('w-full'):
        ui.label(file_name).classes('text-lg font-semibold break-all')
        ui.label(f'{summary["lines"]} lines, {summary["events"]} events').classes('text-base')
        ui.label(f'Levels: {levels or "none found"}')
        ui.label(f'Formats: {formats}')
        if summary.get('first_timestamp'):
            ui.label(f'From {summary["first_timestamp"]} to {summary.get("last_timestamp") or "?"}')
        if summary.get('truncated_lines'):
            ui.label(f'{summary["truncated_lines"]} over-long lines were cut.')


def groups_table(groups: list[dict[str, Any]]) -> None:
    errors = [group for group in groups if group['level'] in ERROR_LEVELS]
    with ui.card().classes('w-full'):
        ui.label('Top error messages' if errors else 'No errors found.').classes('text-lg font-semibold')
        columns: list[dict[str, Any]] = [
            {'name': 'count', 'label': 'Count', 'field': 'count', 'sortable': True, 'align': 'right'},
            {'name': 'level', 'label': 'Level', 'field': 'level', 'sortable': True, 'align': 'left'},
            {'name': 'first_line', 'label': 'First line', 'field': 'first_line', 'sortable': True},
            {'name': 'template', 'label': 'Message', 'field': 'template', 'align': 'left',
             'classes': 'font-mono whitespace-pre-wrap', 'style': 'max-width: 40rem'},
        ]
        rows = [
            {'id': group['id'], 'count': group['count'], 'level': group['level'] or '-',
             'first_line': group['first_line'], 'template': group['template']}
            for group in (errors or groups)[:GROUPS_SHOWN]
        ]
        ui.table(columns=columns, rows=rows, row_key='id').classes('w-full').props('flat dense wrap-cells')


def diagnosis_text(markdown: str) -> ui.markdown:
    # Model and log text is untrusted: ui.markdown sanitizes the HTML it renders.
    return ui.markdown(markdown).classes('w-full')
