"""The analyze page: upload or paste a log; it is analyzed, saved, and shown on its results page."""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from nicegui import events, run, ui

from parsers import Analysis, InputError
from services.analyses import redacted_log, redacted_text, save_analysis
from services.analysis import ProgressFile, analyze_path, analyze_text, read_limits
from services.container import Services
from services.db import DatabaseUnavailable
from services.samples import SAMPLES, Sample, sample_path
from ui.frame import frame
from ui.owner import current_owner, quota_text, still_acting_for
from ui.worker import in_worker

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    settings = services.settings
    timeout = settings.analysis_timeout_seconds

    @ui.page('/')
    async def analyze_page() -> None:
        owner = await current_owner(services)
        with frame('Analyze'):
            ui.label('What went wrong in your log?').classes('text-2xl font-semibold')
            quota_label = ui.label().props('aria-live=polite').classes('text-sm text-gray-600')
            if owner.user_id is not None:
                ui.badge('Unlimited analyses', color='positive').props('aria-label="Unlimited analyses"')
            # Any file name is taken (app.log.1, catalina.out, syslog): the reader refuses what is not a log by content.
            upload = ui.upload(
                label=f'Drop a log file here or click to choose one: up to {settings.max_upload_mb} MB, compressed too',
                auto_upload=True,
                max_file_size=settings.max_upload_bytes,
                on_upload=lambda e: handle_upload(e),
            ).props('aria-label="Log file"').classes('w-full')
            upload.on('rejected', lambda e: show_error(_rejection(e.args, settings.max_upload_mb)))
            upload.on('failed', lambda: show_error(
                f'The upload did not complete: a file over {settings.max_upload_mb} MB is refused, or the connection '
                'dropped.'))
            paste = ui.textarea(label='Or paste log text').props('outlined aria-label="Paste log text"').classes(
                'w-full font-mono'
            )
            with ui.row().classes('items-center gap-2 flex-wrap'):
                analyze_button = ui.button('Analyze', icon='search', on_click=lambda: handle_paste()).mark('analyze')
                analyze_button.props('aria-label="Analyze"')
                ui.label('or try a sample log:').classes('text-sm text-gray-600')
                for sample in SAMPLES:
                    ui.button(sample.title, on_click=lambda sample=sample: handle_sample(sample)).props(
                        'outline no-caps size=sm'
                    )
            status = ui.label().props('role=status aria-live=polite')
            progress_bar = ui.linear_progress(value=0, show_value=False).props('aria-label="Analysis progress"')
            progress_bar.visible = False
            watched: list[Callable[[], None]] = []  # the progress of the analysis under way, if any
            ui.timer(0.25, lambda: [show() for show in watched])

        async def handle_upload(event: events.UploadEventArguments) -> None:
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                path = Path(workdir) / 'upload'
                await event.file.save(path)
                await analyze_file(path, event.file.name, ProgressFile(Path(workdir) / 'progress'))

        async def handle_sample(sample: Sample) -> None:
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                await analyze_file(sample_path(sample), sample.file_name, ProgressFile(Path(workdir) / 'progress'))

        async def analyze_file(path: Path, name: str, progress: ProgressFile) -> None:
            limits = read_limits(settings)
            size = path.stat().st_size
            kept = (lambda: in_worker(timeout, redacted_log, path, limits)) if settings.keep_uploads else None

            def show_progress() -> None:
                if (reported := progress.read()) is not None:
                    bytes_read, events_so_far = reported
                    progress_bar.value = bytes_read / size if size else 1
                    status.text = f'Analyzing {name}: {_megabytes(bytes_read)} of {_megabytes(size)} read, ' \
                                  f'{events_so_far:,} events so far…'

            progress_bar.value = 0
            progress_bar.visible = True
            watched.append(show_progress)
            try:
                await analyze(lambda: in_worker(timeout, analyze_path, path, limits, progress=progress), name, size,
                              kept)
            finally:
                watched.remove(show_progress)
                progress_bar.visible = False

        async def handle_paste() -> None:
            text = paste.value or ''
            if not text.strip():
                show_error('Paste some log text or choose a file first.')
                return
            limits = read_limits(settings)
            kept = (lambda: in_worker(timeout, redacted_text, text)) if settings.keep_uploads else None
            await analyze(lambda: in_worker(timeout, analyze_text, text, limits), 'pasted text', len(text.encode()),
                          kept)

        async def analyze(
            job: Callable[[], Awaitable[Analysis]], name: str, size: int,
            kept: Callable[[], Awaitable[str | None]] | None,
        ) -> None:
            status.text = f'Analyzing {name}…'
            started = time.perf_counter()
            try:
                analysis = await job()
                raw = await kept() if kept else None
            except InputError as exc:
                show_error(str(exc))
                return
            except Exception:
                log.exception('analysis of %s failed', name)
                show_error('The analysis failed unexpectedly; the problem has been logged.')
                return
            if not await still_acting_for(services, owner):
                return
            try:
                record = await run.io_bound(
                    save_analysis, services.database, owner=owner, file_name=name, size_bytes=size, analysis=analysis,
                    parse_seconds=time.perf_counter() - started, raw_log=raw,
                )
            except DatabaseUnavailable as exc:
                show_error(str(exc))
                return
            if record is None:  # the server is shutting down
                return
            status.text = f'Analyzed {name}.'
            ui.navigate.to(f'/analysis/{record.id}')

        def show_error(message: str) -> None:
            status.text = f'Error: {message}'
            ui.notify(message, type='negative')

        quota_label.text = await quota_text(services, owner)  # last: the handlers above exist before any click


def _rejection(entries: object, limit_mb: int) -> str:
    """Why the browser refused a file, from the uploader's `rejected` event: [{failedPropValidation, file}, ...]."""
    reasons = {entry.get('failedPropValidation') for entry in entries if isinstance(entry, dict)} \
        if isinstance(entries, list) else set()
    if reasons & {'max-file-size', 'max-total-size'}:
        return f'That file is larger than {limit_mb} MB, the largest log accepted.'
    return f'The browser refused that file ({", ".join(sorted(map(str, reasons))) or "no reason given"}).'


def _megabytes(size: int) -> str:
    return f'{size / 1_000_000:,.1f} MB'
