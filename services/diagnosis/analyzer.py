"""What every analyzer (offline, Gemini) offers, what it answers, and the key its answers are cached under."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from parsers import Analysis, Group
from services.diagnosis.prompt import Prompt


@dataclass(frozen=True, slots=True)
class Diagnosis:
    markdown: str
    model: str
    signature_id: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    thinking_tokens: int = 0
    # Set when the configured model failed and this answer is the offline one: neither cached nor charged.
    fallback_reason: str | None = None
    # Exactly what was sent to the model (redacted evidence); empty when nothing left the server.
    evidence: str = ''


class DiagnosisError(Exception):
    """The analyzer could not answer; the message is meant for the person who asked."""


class Analyzer(Protocol):
    """What every analyzer (offline, Gemini) offers the pages, the API and the CLI."""

    model: str

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        """Identifies the exact question asked, so the same question can be answered from the store."""
        ...

    def evidence(self, analysis: Analysis, group: Group | None) -> Prompt | None:
        """Exactly what leaves the server to answer this question (what the page previews); None when nothing does."""
        ...

    async def diagnose(
        self, analysis: Analysis, group: Group | None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        """Answer in Markdown; `on_chunk` receives the answer as it is written. Raises DiagnosisError."""
        ...


def answer_key(*, analyzer: str, model: str, version: str, evidence: str) -> str:
    """The cache key of an answer: a hash of everything the analyzer reads, so only the same question shares one."""
    return hashlib.sha256(json.dumps([analyzer, model, version, evidence]).encode()).hexdigest()
