"""The results page's "Compare with…" card: this analysis against another of the person's, as a table of changes."""

from __future__ import annotations

import logging
import tempfile
from datetime import datetime
from pathlib import Path

from nicegui import events, run, ui

from parsers import InputError
from parsers.compare import Basis, Change, Comparison, GroupChange
from services.comparison import compare_saved
from services.container import Services
from services.identity import Caller
from services.store.database import DatabaseUnavailable
from services.store.saved_analyses import list_analyses
from services.store.tables import AnalysisRecord
from ui.analyze_page import upload_header
from ui.owner import still_acting_for

log = logging.getLogger(__name__)
# Changes listed in the table; the rest are counted. Unchanged groups are counted only.
ROWS_SHOWN = 200
CHANGE_NAMES = {Change.NEW: 'New', Change.GONE: 'Gone', Change.GROWING: 'Growing', Change.SHRINKING: 'Shrinking'}
NEW_ERROR_CLASSES = 'bg-red-100 dark:bg-red-950 font-semibold'
GROWING_CLASSES = 'bg-orange-50 dark:bg-orange-950'


async def compare_card(services: Services, record: AnalysisRecord, owner: Caller) -> None:
    """A baseline chosen from the person's earlier analyses, or uploaded here (it is analyzed and saved like any
    upload, so it is listed next time too)."""
    with ui.card().classes('w-full'):
        ui.label('Compare with a good run').classes('text-lg font-semibold')
        try:
            listed = await run.io_bound(list_analyses, services.database, owner=owner) or []
        except DatabaseUnavailable as exc:
            ui.label(str(exc)).props('role=alert')
            return
        names = {other.id: _choice(other) for other in listed if other.id != record.id}
        ui.label('Choose an earlier analysis of a good run of the same system, or upload its log: this page will show '
                 'which problems are new since then.').classes('text-sm text-gray-600')
        with ui.row().classes('w-full items-center gap-2 no-wrap max-sm:flex-wrap'):
            chooser = ui.select(names, label='Compare with…', on_change=lambda event: show(event.value)).props(
                'outlined aria-label="Compare with an earlier analysis"'
            ).classes('grow')
            upload = ui.upload(label="Or upload the good run's log", auto_upload=True,
                               max_file_size=services.settings.max_upload_bytes,
                               on_upload=lambda event: upload_baseline(event)).props('flat bordered')
            upload.add_slot('header', upload_header(upload.props['label'], "Choose the good run's log"))
            upload.classes('max-sm:w-full').mark('baseline-upload')
        chooser.visible = bool(names)
        status = ui.label().props('role=status aria-live=polite').classes('text-sm')
        result = ui.column().classes('w-full gap-2')

    async def upload_baseline(event: events.UploadEventArguments) -> None:
        if not await still_acting_for(services, owner):
            return
        status.text = f'Analyzing {event.file.name}…'
        try:
            with tempfile.TemporaryDirectory(dir=services.settings.data_dir) as workdir:
                path = Path(workdir) / 'baseline'
                await event.file.save(path)
                baseline = await services.ingest(path, name=event.file.name, owner=owner,
                                                 may_save=lambda: still_acting_for(services, owner))
        except (InputError, DatabaseUnavailable) as exc:
            status.text = f'Error: {exc}'
            return
        except Exception:
            log.exception('analysis of the baseline %s failed', event.file.name)
            status.text = 'Error: the analysis of that log failed unexpectedly; the problem has been logged.'
            return
        if baseline is None:  # the session it was uploaded in has ended
            return
        names[baseline.id] = _choice(baseline)
        chooser.set_options(names, value=baseline.id)  # shows the comparison through the select's on_change
        chooser.visible = True

    async def show(baseline_id: str | None) -> None:
        result.clear()
        status.text = ''
        if baseline_id is None or not await still_acting_for(services, owner):
            return
        try:
            comparison = await run.io_bound(
                compare_saved, services.database, analysis_id=record.id, baseline_id=baseline_id, owner=owner,
                similarity=services.settings.template_similarity,
            )
        except DatabaseUnavailable as exc:
            status.text = str(exc)
            return
        if comparison is None:
            status.text = 'That analysis no longer exists.'
            return
        status.text = _summary(comparison, names[baseline_id])
        with result:
            _table(comparison)


def _choice(record: AnalysisRecord) -> str:
    return f'{record.file_name} · {record.created_at:%Y-%m-%d %H:%M} · {record.summary["lines"]:,} lines'


def _summary(comparison: Comparison, baseline_name: str) -> str:
    unit = 'hour of log' if comparison.basis is Basis.HOUR else '1,000 events'
    return (f'Against {baseline_name}: {comparison.counts()}. Counts are compared as rates per {unit}, so a '
            'longer log is not a worse one.')


def _table(comparison: Comparison) -> None:
    rows = [row for row in comparison.ordered() if row.change is not Change.UNCHANGED]
    if not rows:
        ui.label('Nothing changed: every group happens about as often as in the baseline.')
        return
    with ui.element('div').classes('w-full overflow-x-auto'), ui.element('table').classes(
        'w-full text-sm border-collapse'
    ).props('aria-label="Changes since the good run"'):
        with ui.element('thead'), ui.element('tr').classes('text-left border-b'):
            for heading in ('Change', 'Level', 'Here', 'Before', 'First seen', 'Message'):
                with ui.element('th').classes('p-2').props('scope=col'):
                    ui.label(heading)
        with ui.element('tbody'):
            for row in rows[:ROWS_SHOWN]:
                _table_row(row)
    if len(rows) > ROWS_SHOWN:
        ui.label(f'The first {ROWS_SHOWN} of {len(rows)} changes are listed.').classes('text-sm text-gray-600')


def _table_row(row: GroupChange) -> None:
    highlight = NEW_ERROR_CLASSES if row.change is Change.NEW and row.is_error \
        else GROWING_CLASSES if row.change is Change.GROWING else ''
    with ui.element('tr').classes(f'border-b align-top {highlight}'):
        before = f'{row.baseline.count:,}'
        if row.change in (Change.GROWING, Change.SHRINKING):
            before += f' (≈ {row.expected:,.0f} at this size)'
        where = (f'line {row.log.first_line:,}' if row.log.first_line is not None
                 else f'baseline line {row.baseline.first_line:,}')
        seen = row.log.first_seen or row.baseline.first_seen
        cells = (CHANGE_NAMES[row.change], row.level or '-', f'{row.log.count:,}', before,
                 f'{where}{f", {_moment(seen)}" if seen else ""}')
        for text in cells:
            with ui.element('td').classes('p-2 whitespace-nowrap'):
                ui.label(text)
        with ui.element('td').classes('p-2 font-mono text-xs break-all'):
            ui.label(row.template)  # log text: shown as text, never as HTML


def _moment(moment: datetime) -> str:
    return moment.strftime('%Y-%m-%d %H:%M:%S')
