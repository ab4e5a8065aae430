"""The diagnosis panel: what will be sent (redacted, previewable), then the answer streamed in as it is written."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from nicegui import ui

from parsers import Analysis, Group
from services.diagnosis.analyzer import Analyzer, Diagnosis, DiagnosisError
from services.diagnosis.redaction import describe_counts, placeholder_counts
from services.store.database import DatabaseUnavailable
from services.store.quota import QuotaExceeded
from ui.analysis_view import diagnosis_text, html_as_text
from ui.log_view import OpenLine, citation_links

log = logging.getLogger(__name__)
# Asks for the diagnosis (through quota, cache and store), streaming the answer into the callback.
Ask = Callable[[Callable[[str], None]], Awaitable[Diagnosis]]


async def diagnosis_panel(
    analyzer: Analyzer, analysis: Analysis, group: Group | None, ask: Ask, *, open_line: OpenLine,
    answered: Diagnosis | None = None, after: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """The panel, in the current container. The offline analyzer answers at once; a model only when asked, after
    the person could see what it will be sent. An earlier answer (`answered`) is shown instead of asking again; the
    lines it cites open with `open_line`.

    `after` runs when an attempt ended, so the caller can show what is left of the quota. A failure is shown in
    the panel; nothing else on the page changes.
    """
    prompt = analyzer.evidence(analysis, group)  # exactly what the analyzer sends: the preview shows its output
    offline = prompt is None
    if prompt is None:
        ui.label('The built-in offline analyzer answers for free and without limit: nothing leaves this server.'
                 ).classes('text-sm')
    else:
        ui.label(f'Only this evidence is sent to {analyzer.model}; secrets are replaced first. '
                 f'Redacted: {describe_counts(placeholder_counts(prompt.text))}.').classes('text-sm')
        with ui.expansion(f'Preview the exact text sent ({prompt.tokens} tokens)', icon='visibility').classes(
                'w-full').props('aria-label="Preview the exact text sent"'):
            ui.code(prompt.text, language='text').classes('w-full max-h-96 overflow-auto')
        button = ui.button(f'Diagnose with {analyzer.model}', icon='auto_awesome', on_click=lambda: run())
    progress = ui.row().classes('items-center gap-2')
    problem = ui.label().props('role=alert').classes('text-negative')
    offer = ui.row()
    answer = diagnosis_text(answered.markdown if answered else '').props('aria-live=polite')
    citations = ui.column().classes('w-full')
    usage = ui.label().classes('text-xs text-gray-500')

    def show_citations(markdown: str) -> None:
        citations.clear()
        with citations:
            citation_links(markdown, analysis.lines, open_line)
            ui.button('Copy answer', icon='content_copy', on_click=lambda: copy(markdown)).props(
                'flat dense no-caps aria-label="Copy answer"'
            )

    def copy(markdown: str) -> None:
        ui.clipboard.write(markdown)
        ui.notify('The answer is on the clipboard as Markdown.')

    if answered:
        _show_usage(usage, answered)
        show_citations(answered.markdown)

    async def run() -> None:
        if not offline:
            button.disable()
        problem.text = ''
        offer.clear()
        written: list[str] = []

        def stream(chunk: str) -> None:
            written.append(chunk)
            answer.content = html_as_text(''.join(written))

        with progress:
            progress.clear()
            ui.spinner(size='sm')
            ui.label(f'{"The offline analyzer" if offline else analyzer.model} is writing…')
        try:
            diagnosis = await ask(stream)
        except QuotaExceeded as exc:
            answer.content = ''
            problem.text = str(exc)
            if exc.guest:
                with offer:
                    ui.link('Register for unlimited diagnoses', '/register')
            return
        except (DiagnosisError, DatabaseUnavailable) as exc:
            _failed(str(exc))
            return
        except Exception:
            log.exception('diagnosis failed')
            _failed('The diagnosis failed unexpectedly; the problem has been logged.')
            return
        finally:
            progress.clear()
            if after:
                await after()
        answer.content = html_as_text(diagnosis.markdown)
        show_citations(diagnosis.markdown)
        _show_usage(usage, diagnosis)
        if diagnosis.fallback_reason is not None and not offline:
            problem.text = f"{analyzer.model}'s answer was not used, so this attempt is not counted; you can try again."
            button.enable()

    def _failed(message: str) -> None:
        problem.text = f'{message} The analysis above is unaffected; you can try again.'
        if not offline:
            button.enable()

    if offline and answered is None:
        await run()


def _show_usage(usage: ui.label, diagnosis: Diagnosis) -> None:
    if diagnosis.input_tokens or diagnosis.output_tokens:
        thinking = f', {diagnosis.thinking_tokens} thinking' if diagnosis.thinking_tokens else ''
        usage.text = f'{diagnosis.model}: {diagnosis.input_tokens} tokens in, {diagnosis.output_tokens} out{thinking}'
    else:
        usage.text = f'Answered by {diagnosis.model}'

