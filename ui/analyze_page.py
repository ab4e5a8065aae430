"""The analyze page: upload or paste a log, see its summary and a diagnosis."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from nicegui import app, events, run, ui

from parsers import Analysis, InputError
from services.analysis import analyze_path, analyze_text, read_limits
from services.container import Services
from services.diagnosis import Diagnosis, default_group
from ui.diagnosis_panel import diagnosis_panel
from ui.frame import frame
from ui.session import current_identity

log = logging.getLogger(__name__)
FREE_USED_KEY = 'free_analyses_used'
TOP_GROUPS_SHOWN = 10


def register(services: Services) -> None:
    settings = services.settings

    @ui.page('/')
    async def analyze_page() -> None:
        with frame('Analyze'):
            ui.label('What went wrong in your log?').classes('text-2xl font-semibold')
            quota_label = ui.label().props('aria-live=polite').classes('text-sm text-gray-600')
            _show_quota(quota_label, settings.guest_free_analyses)
            if current_identity():
                ui.badge('Unlimited analyses', color='positive').props('aria-label="Unlimited analyses"')
            ui.upload(
                label=f'Log file (up to {settings.max_upload_mb} MB, .gz accepted)',
                auto_upload=True,
                max_file_size=settings.max_upload_bytes,
                on_upload=lambda e: handle_upload(e),
                on_rejected=lambda: show_error(f'That file is larger than {settings.max_upload_mb} MB.'),
            ).props('accept=".log,.txt,.gz,.json,.jsonl,text/*" aria-label="Log file"').classes('w-full')
            paste = ui.textarea(label='Or paste log text').props('outlined aria-label="Paste log text"').classes(
                'w-full font-mono'
            )
            ui.button('Analyze', icon='search', on_click=lambda: handle_paste()).props('aria-label="Analyze"')
            status = ui.label().props('role=status aria-live=polite')
            results = ui.column().classes('w-full gap-4')

        async def handle_upload(event: events.UploadEventArguments) -> None:
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                path = Path(workdir) / 'upload'
                await event.file.save(path)
                await analyze(lambda: run.cpu_bound(analyze_path, path, read_limits(settings)), event.file.name)

        async def handle_paste() -> None:
            text = paste.value or ''
            if not text.strip():
                show_error('Paste some log text or choose a file first.')
                return
            await analyze(lambda: run.cpu_bound(analyze_text, text, read_limits(settings)), 'pasted text')

        async def analyze(job: Callable[[], Awaitable[Analysis | None]], name: str) -> None:
            status.text = f'Analyzing {name}…'
            results.clear()
            try:
                analysis = await job()
            except InputError as exc:
                show_error(str(exc))
                return
            except Exception:
                log.exception('analysis of %s failed', name)
                show_error('The analysis failed unexpectedly; the problem has been logged.')
                return
            if analysis is None:  # the server is shutting down
                return
            status.text = f'Analyzed {name}.'
            with results:
                _summary(analysis)
                await _diagnosis(services, analysis, quota_label)

        def show_error(message: str) -> None:
            status.text = f'Error: {message}'
            ui.notify(message, type='negative')


def _summary(analysis: Analysis) -> None:
    levels = ', '.join(f'{level} {count}' for level, count in analysis.level_counts.items() if count)
    with ui.card().classes('w-full'):
        ui.label('Summary').classes('text-lg font-semibold')
        ui.label(f'{analysis.lines} lines, {analysis.events} events').classes('text-base')
        ui.label(f'Levels: {levels or "none found"}')
        errors = analysis.error_groups[:TOP_GROUPS_SHOWN]
        if errors:
            ui.label('Top error messages').classes('font-semibold mt-2')
            for group in errors:
                ui.label(f'{group.count} × {group.template}').classes('font-mono text-sm whitespace-pre-wrap')
        else:
            ui.label('No errors found.')


async def _diagnosis(services: Services, analysis: Analysis, quota_label: ui.label) -> None:
    allowance = services.settings.guest_free_analyses
    used = 0 if current_identity() else int(app.storage.user.get(FREE_USED_KEY, 0))  # registered: unlimited
    with ui.card().classes('w-full'):
        ui.label('Diagnosis').classes('text-lg font-semibold')
        if used >= allowance:
            ui.label(f'You have used your {allowance} free analyses.').props('role=alert')
            return

        def count(_: Diagnosis) -> None:
            if not current_identity():  # registered: unlimited
                app.storage.user[FREE_USED_KEY] = int(app.storage.user.get(FREE_USED_KEY, 0)) + 1
            _show_quota(quota_label, allowance)

        await diagnosis_panel(services.analyzer, services.settings, analysis, default_group(analysis), count)


def _show_quota(label: ui.label, allowance: int) -> None:
    if current_identity():
        label.set_visibility(False)
        return
    left = max(allowance - int(app.storage.user.get(FREE_USED_KEY, 0)), 0)
    label.text = f'{left} of {allowance} free analyses left'
