"""The analyze page: upload or paste a log; it is analyzed, saved, and shown on its results page."""

from __future__ import annotations

import html
import logging
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from nicegui import events, ui

from parsers import Analysis, Group, InputError
from services.container import Services
from services.jobs import Status
from services.redis_unavailable import RedisUnavailable
from services.samples import SAMPLES, Sample, sample_path
from services.store.database import DatabaseUnavailable
from ui.frame import frame
from ui.owner import current_owner, quota_text, still_acting_for
from ui.unavailable import log_unreachable

log = logging.getLogger(__name__)
PASTE_TITLE_CHARS = 80


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
            # Any file name is taken (app.log.1, catalina.out, syslog): the reader refuses what is not a log by content.
            upload = ui.upload(
                label=f'Drop a log file here or click to choose one: up to {settings.max_upload_mb} MB, compressed too',
                auto_upload=True,
                max_file_size=settings.max_upload_bytes,
                on_upload=lambda e: handle_upload(e),
            ).props('aria-label="Log file"').classes('w-full')
            upload.add_slot('header', upload_header(upload.props['label']))
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

        async def handle_upload(event: events.UploadEventArguments) -> None:
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                path = Path(workdir) / 'upload'
                await event.file.save(path)
                await analyze(path, event.file.name)

        async def handle_sample(sample: Sample) -> None:
            await analyze(sample_path(sample), sample.file_name)

        async def handle_paste() -> None:
            text = paste.value or ''
            if not text.strip():
                show_error('Paste some log text or choose a file first.')
                return
            with tempfile.TemporaryDirectory(dir=settings.data_dir) as workdir:
                path = Path(workdir) / 'pasted'
                path.write_text(text, encoding='utf-8')
                await analyze(path, 'pasted text', title=lambda analysis: paste_name(analysis, datetime.now(UTC)))

        async def analyze(path: Path, name: str, title: Callable[[Analysis], str] | None = None) -> None:
            size = path.stat().st_size

            def show_status(progress: Status) -> None:
                if progress.ahead is not None:
                    ahead = 'yours is next' if progress.ahead == 0 else f'{progress.ahead:,} ahead of yours'
                    status.text = f'Waiting for an analysis worker: {ahead}…'
                    return
                progress_bar.value = progress.bytes_read / size if size else 1
                status.text = f'Analyzing {name}: {_megabytes(progress.bytes_read)} of {_megabytes(size)} read, ' \
                              f'{progress.events:,} events so far…'

            status.text = f'Analyzing {name}…'
            progress_bar.value = 0
            progress_bar.visible = True
            try:
                record = await services.ingest(path, name=title or name, owner=owner, on_status=show_status,
                                               may_save=lambda: still_acting_for(services, owner))
            except (InputError, DatabaseUnavailable) as exc:
                show_error(str(exc))
                return
            except RedisUnavailable as exc:
                log_unreachable(exc)
                show_error(str(exc))
                return
            except Exception:
                log.exception('analysis of %s failed', name)
                show_error('The analysis failed unexpectedly; the problem has been logged.')
                return
            finally:
                progress_bar.visible = False
            if record is None:  # the session it was started for has ended
                return
            status.text = f'Analyzed {name}.'
            ui.navigate.to(f'/analysis/{record.id}')

        def show_error(message: str) -> None:
            status.text = f'Error: {message}'
            ui.notify(message, type='negative')

        quota_label.text = await quota_text(services, owner)  # last: the handlers above exist before any click


def paste_name(analysis: Analysis, pasted_at: datetime) -> str:
    """What a paste is called in the history: its first error and when that happened (or when it was pasted)."""
    first = min(analysis.error_groups, key=lambda group: group.first_line, default=None)
    what = _error_title(first) if first else 'Pasted log'
    moment = (first and first.first_seen) or analysis.first_timestamp
    when = f'{moment:%Y-%m-%d %H:%M:%S}' if moment else f'pasted {pasted_at:%Y-%m-%d %H:%M} UTC'
    return f'{what} · {when}'


def _error_title(group: Group) -> str:
    title = ' '.join(group.template.split('\n', 1)[0].replace('<*>', '…').split())
    if group.exception and group.exception not in title:
        title = f'{group.exception}: {title}'
    return title if len(title) <= PASTE_TITLE_CHARS else title[:PASTE_TITLE_CHARS - 1] + '…'


def upload_header(label: str, chooser: str = 'Choose a log file') -> str:
    """Quasar's header with a named file chooser: its own "add" button reads "add_box" to a screen reader and wraps
    the file input in a second control. Here the input itself, laid over the icon, is the one named control."""
    return (
        '<div class="q-uploader__header-content row items-center no-wrap q-pa-sm q-gutter-sm">'
        f'<div class="col q-uploader__title">{html.escape(label)}</div>'
        '<q-spinner v-if="props.isUploading" aria-hidden="true" />'
        '<div class="relative-position q-pa-xs"><q-icon name="add_box" size="sm" aria-hidden="true" />'
        f'<q-uploader-add-trigger aria-label="{html.escape(chooser)}" tabindex="0" /></div>'
        '</div>'
    )


def _rejection(entries: object, limit_mb: int) -> str:
    """Why the browser refused a file, from the uploader's `rejected` event: [{failedPropValidation, file}, ...]."""
    reasons = {entry.get('failedPropValidation') for entry in entries if isinstance(entry, dict)} \
        if isinstance(entries, list) else set()
    if reasons & {'max-file-size', 'max-total-size'}:
        return f'That file is larger than {limit_mb} MB, the largest log accepted.'
    return f'The browser refused that file ({", ".join(sorted(map(str, reasons))) or "no reason given"}).'


def _megabytes(size: int) -> str:
    return f'{size / 1_000_000:,.1f} MB'
