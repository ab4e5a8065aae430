"""The diagnosis panel: what will be sent (redacted, previewable), then the answer streamed in as it is written."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from nicegui import ui

from parsers import Analysis, Group
from services.config import Settings
from services.diagnosis import OFFLINE_MODEL, Analyzer, Diagnosis, DiagnosisError
from services.prompt import build_prompt
from services.redaction import describe_counts

log = logging.getLogger(__name__)


Ask = Callable[[Callable[[str], None]], Awaitable[Diagnosis]]


async def diagnosis_panel(
    analyzer: Analyzer, settings: Settings, analysis: Analysis, group: Group | None,
    on_answer: Callable[[Diagnosis], None] | None = None, request: Ask | None = None,
) -> None:
    """The panel, in the current container. The offline analyzer answers at once; a model only when asked, after
    the person could see what it will be sent.

    `request(stream)` gets the diagnosis, passing each chunk to `stream` (by default the analyzer itself; a caller that
    also caches and counts passes its own). `on_answer` runs once a real answer arrived (not when the model failed
    and the offline stand-in answered). A failure is shown in the panel; nothing else on the page changes.
    """
    offline = analyzer.model == OFFLINE_MODEL
    if offline:
        ui.label('The built-in offline analyzer answers: nothing leaves this server.').classes('text-sm')
    else:
        prompt = build_prompt(analysis, group, budget=settings.digest_budget_tokens,
                              redact_ips=settings.redact_ip_addresses)
        ui.label(f'Only this evidence is sent to {analyzer.model}; secrets are replaced first. '
                 f'Redacted: {describe_counts(prompt.redactions)}.').classes('text-sm')
        with ui.expansion(f'Preview the exact text sent ({prompt.tokens} tokens)', icon='visibility').classes(
                'w-full').props('aria-label="Preview the exact text sent"'):
            ui.code(prompt.text, language='text').classes('w-full max-h-96 overflow-auto')
        ask = ui.button(f'Diagnose with {analyzer.model}', icon='auto_awesome', on_click=lambda: run())
    progress = ui.row().classes('items-center gap-2')
    problem = ui.label().props('role=alert').classes('text-negative')
    answer = ui.markdown('').props('aria-live=polite').classes('w-full')
    usage = ui.label().classes('text-xs text-gray-500')

    async def run() -> None:
        if not offline:
            ask.disable()
        problem.text = ''
        written: list[str] = []

        def stream(chunk: str) -> None:
            written.append(chunk)
            answer.content = ''.join(written)

        with progress:
            progress.clear()
            ui.spinner(size='sm')
            ui.label(f'{"The offline analyzer" if offline else analyzer.model} is writing…')
        try:
            diagnosis = await (request(stream) if request else analyzer.diagnose(analysis, group, stream))
        except DiagnosisError as exc:
            _failed(str(exc))
            return
        except Exception:
            log.exception('diagnosis failed')
            _failed('The diagnosis failed unexpectedly; the problem has been logged.')
            return
        finally:
            progress.clear()
        answer.content = diagnosis.markdown
        if diagnosis.input_tokens or diagnosis.output_tokens:
            usage.text = f'{diagnosis.model}: {diagnosis.input_tokens} tokens in, {diagnosis.output_tokens} out'
        if diagnosis.fallback_reason is None and on_answer:
            on_answer(diagnosis)
        elif not offline:
            ask.enable()

    def _failed(message: str) -> None:
        problem.text = f'{message} The analysis above is unaffected; you can try again.'
        if not offline:
            ask.enable()

    if offline:
        await run()
