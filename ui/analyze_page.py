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
from services.analysis import analyze_path, analyze_text, read_limits
from services.container import Services
from services.db import DatabaseUnavailable
from ui.frame import frame
from ui.owner import current_owner, quota_text
from ui.worker import in_worker

log = logging.getLogger(__name__)


def register(services: Services) -> None:
    settings = services.settings

    @ui.page('/')
    async def analyze_page() -> None:
        owner = await current_owner(services)
        with frame('Analyze'):
            ui.label('What went wrong in your log?').classes('text-2xl font-semibold')
            quota_label = ui.label().props('aria-live=polite').classes('text-sm text-gray-600')
            if owner.user_id is not None:
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
            analyze_button = ui.button('Analyze', icon='search', on_click=lambda: handle_paste()).mark('analyze')
            analyze_button.props('aria-label="Analyze"')
            status = ui.label().props('role=status aria-live=polite')
        quota_label.text = await quota_text(services, owner)

        async def handle_upload(event: events.UploadEventArguments) -> None:
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                path = Path(workdir) / 'upload'
                await event.file.save(path)
                limits = read_limits(settings)
                kept = (lambda: in_worker(redacted_log, path, limits)) if settings.keep_uploads else None
                await analyze(lambda: in_worker(analyze_path, path, limits), event.file.name, path.stat().st_size,
                              kept)

        async def handle_paste() -> None:
            text = paste.value or ''
            if not text.strip():
                show_error('Paste some log text or choose a file first.')
                return
            limits = read_limits(settings)
            kept = (lambda: in_worker(redacted_text, text)) if settings.keep_uploads else None
            await analyze(lambda: in_worker(analyze_text, text, limits), 'pasted text', len(text.encode()), kept)

        async def analyze(
            job: Callable[[], Awaitable[Analysis | None]], name: str, size: int,
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
            if analysis is None:  # the server is shutting down
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
