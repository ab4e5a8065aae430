"""Diagnoses by Google Gemini, streamed, through google-genai's async client; only redacted evidence is sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace

from google import genai
from google.genai import errors, types

from parsers import Analysis, Group
from services.diagnosis.analyzer import Analyzer, Diagnosis, DiagnosisError, answer_key
from services.diagnosis.offline import default_group
from services.diagnosis.prompt import PROMPT_VERSION, SYSTEM_INSTRUCTION, Prompt, build_prompt

log = logging.getLogger(__name__)
RETRIED_STATUSES = [408, 429, 500, 502, 503, 504]
TEMPERATURE = 0.2
# Why a model stops early, in words for the person who asked; other reasons are named as the API names them.
STOP_REASONS = {
    types.FinishReason.SAFETY: 'its safety filters stopped the answer',
    types.FinishReason.RECITATION: 'the answer recited copyrighted text',
    types.FinishReason.BLOCKLIST: 'the answer held blocked terms',
    types.FinishReason.PROHIBITED_CONTENT: 'the answer held prohibited content',
    types.FinishReason.SPII: 'the answer held sensitive personal information',
}


class GeminiAnalyzer:
    """Asks Gemini about the chosen group; retries 429 and 5xx with exponential backoff (google-genai's own)."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str | None = None,
        budget: int = 12_000,
        timeout: float = 60,
        retries: int = 3,
        retry_delay: float = 1.0,
        redact_ips: bool = False,
        max_output_tokens: int = 8192,
        thinking_budget: int = 2048,
    ) -> None:
        self.model = model
        self.budget = budget
        self.timeout = timeout
        self.redact_ips = redact_ips
        self.max_output_tokens = max_output_tokens
        self.config = types.GenerateContentConfig(
            system_instruction=SYSTEM_INSTRUCTION, temperature=TEMPERATURE, max_output_tokens=max_output_tokens,
            thinking_config=types.ThinkingConfig(thinking_budget=thinking_budget),
        )
        self._client = genai.Client(api_key=api_key, http_options=types.HttpOptions(
            base_url=base_url,
            timeout=int(timeout * 1000),
            retry_options=types.HttpRetryOptions(
                attempts=retries + 1, initial_delay=retry_delay, max_delay=max(retry_delay * 8, 1),
                jitter=retry_delay / 2, http_status_codes=RETRIED_STATUSES,
            ),
        ))

    def evidence(self, analysis: Analysis, group: Group | None) -> Prompt:
        """The exact message the model gets: what the preview shows and the cache key is made of."""
        return build_prompt(analysis, group or default_group(analysis), budget=self.budget, redact_ips=self.redact_ips)

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        # The whole request: the evidence, and the instruction and limits it is sent with.
        version = f'{PROMPT_VERSION}:{self.config.model_dump_json(exclude_none=True)}'
        evidence = self.evidence(analysis, group).text
        return answer_key(analyzer='gemini', model=self.model, version=version, evidence=evidence)

    async def diagnose(
        self, analysis: Analysis, group: Group | None = None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        prompt = self.evidence(analysis, group)
        parts: list[str] = []
        usage: types.GenerateContentResponseUsageMetadata | None = None
        finish: types.FinishReason | None = None
        blocked: types.BlockedReason | None = None
        try:
            async with asyncio.timeout(self.timeout):
                stream = await self._client.aio.models.generate_content_stream(
                    model=self.model, contents=prompt.text, config=self.config
                )
                async for chunk in stream:
                    usage = chunk.usage_metadata or usage
                    blocked = (chunk.prompt_feedback.block_reason if chunk.prompt_feedback else None) or blocked
                    finish = (chunk.candidates[0].finish_reason if chunk.candidates else None) or finish
                    text = _text_of(chunk)
                    if text:
                        parts.append(text)
                        if on_chunk:
                            on_chunk(text)
        except TimeoutError as exc:
            raise DiagnosisError(f'Gemini did not answer within {self.timeout:g} s.') from exc
        except errors.APIError as exc:
            log.warning('Gemini call failed: %s %s', exc.code, exc.status)
            raise DiagnosisError(_api_message(exc)) from exc
        except OSError as exc:  # aiohttp's and the socket layer's connection errors
            log.warning('Gemini unreachable: %r', exc)
            raise DiagnosisError(f'Gemini could not be reached ({type(exc).__name__}).') from exc
        except Exception as exc:  # the SDK raises many kinds for an answer it cannot parse
            log.warning('Gemini answer unusable: %r', exc)
            raise DiagnosisError(f'Gemini sent an answer that could not be read ({type(exc).__name__}).') from exc
        markdown = ''.join(parts).strip()
        if problem := self._unusable(markdown, finish, blocked):
            log.warning('Gemini answer not used: finish %s, block %s, %d characters', finish, blocked, len(markdown))
            raise DiagnosisError(problem)
        return Diagnosis(
            markdown=markdown, model=self.model, evidence=prompt.text,
            input_tokens=(usage.prompt_token_count or 0) if usage else 0,
            output_tokens=(usage.candidates_token_count or 0) if usage else 0,
            thinking_tokens=(usage.thoughts_token_count or 0) if usage else 0,
        )

    def _unusable(self, markdown: str, finish: types.FinishReason | None, blocked: types.BlockedReason | None) -> str:
        """Why an answer that arrived cannot be used (blocked, cut off, stopped early, empty); '' when it can."""
        if blocked is not None:
            return f'Gemini refused to read the evidence (blocked: {_name(blocked)}).'
        if finish == types.FinishReason.MAX_TOKENS:
            return (f"Gemini's answer was cut off at the output limit of {self.max_output_tokens} tokens "
                    '(GEMINI_MAX_OUTPUT_TOKENS), so it is not used.')
        if finish not in (None, types.FinishReason.STOP):
            reason = STOP_REASONS.get(finish, f'it gave the reason {_name(finish)}')
            return f'Gemini stopped before finishing: {reason}. The partial answer is not used.'
        if not markdown:
            return 'Gemini sent an empty answer.'
        if finish is None:
            return "Gemini's answer ended before it was complete, so it is not used."
        return ''


def _text_of(chunk: types.GenerateContentResponse) -> str:
    # `chunk.text` warns on chunks without text parts; join the text parts directly, leaving out thoughts.
    candidates = chunk.candidates or []
    content = candidates[0].content if candidates else None
    return ''.join(part.text or '' for part in (content.parts or []) if not part.thought) if content else ''


def _name(reason: types.FinishReason | types.BlockedReason) -> str:
    # The SDK keeps a reason it does not know as a plain string.
    return reason.name if isinstance(reason, types.FinishReason | types.BlockedReason) else str(reason)


def _api_message(exc: errors.APIError) -> str:
    if exc.code == 429:
        return 'Gemini is rate limiting this key (429) and still was after retries; try again in a minute.'
    if exc.code in (401, 403):
        return f'Gemini refused the API key ({exc.code}); check GEMINI_API_KEY.'
    if exc.code == 404:
        return 'Gemini does not know the configured model (404); check GEMINI_MODEL.'
    if exc.code >= 500:
        return f'Gemini had a server error ({exc.code}) and still did after retries.'
    return f'Gemini refused the request ({exc.code} {exc.status or ""}).'.replace(' )', ')')


class FallbackAnalyzer:
    """The primary analyzer, and the fallback's answer, marked as such, when the primary fails."""

    def __init__(self, primary: Analyzer, fallback: Analyzer) -> None:
        self.primary = primary
        self.fallback = fallback
        self.model = primary.model

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        return self.primary.cache_key(analysis, group)

    def evidence(self, analysis: Analysis, group: Group | None) -> Prompt | None:
        return self.primary.evidence(analysis, group)

    async def diagnose(
        self, analysis: Analysis, group: Group | None = None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        streamed = False

        def relay(chunk: str) -> None:
            nonlocal streamed
            streamed = True
            if on_chunk:
                on_chunk(chunk)

        try:
            return await self.primary.diagnose(analysis, group, relay)
        except DiagnosisError as exc:
            notice = f'> **{exc}** Below is the offline analysis instead.\n\n'
            if on_chunk:  # a rule under what the model had written before it failed
                on_chunk(f'\n\n---\n\n{notice}' if streamed else notice)
            answer = await self.fallback.diagnose(analysis, group, on_chunk)
            return replace(answer, markdown=notice + answer.markdown, fallback_reason=str(exc))
