"""Diagnoses: the offline analyzer, matching a knowledge base of failure signatures."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Protocol

from parsers import Analysis, Group

OFFLINE_MODEL = 'offline'


@dataclass(frozen=True, slots=True)
class Signature:
    id: str
    title: str
    pattern: re.Pattern[str]
    root_cause: str
    fix: str
    prevention: str


@dataclass(frozen=True, slots=True)
class Diagnosis:
    markdown: str
    model: str
    signature_id: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    # Set when the configured model failed and this answer is the offline one: neither cached nor charged.
    fallback_reason: str | None = None


class DiagnosisError(Exception):
    """The analyzer could not answer; the message is meant for the person who asked."""


class Analyzer(Protocol):
    """What every analyzer (offline, Gemini) offers the pages, the API and the CLI."""

    model: str

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        """Identifies the exact question asked, so the same question can be answered from the store."""
        ...

    async def diagnose(
        self, analysis: Analysis, group: Group | None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        """Answer in Markdown; `on_chunk` receives the answer as it is written. Raises DiagnosisError."""
        ...


class OfflineAnalyzer:
    """Recognizes common failures from a knowledge base; works with no network and no key."""

    model = OFFLINE_MODEL

    def cache_key(self, analysis: Analysis, group: Group | None) -> str:
        group = group or default_group(analysis)
        return hashlib.sha256(f'{self.model}\0{group.example if group else ""}'.encode()).hexdigest()

    async def diagnose(
        self, analysis: Analysis, group: Group | None = None, on_chunk: Callable[[str], None] | None = None
    ) -> Diagnosis:
        group = group or default_group(analysis)
        if group is None:
            diagnosis = Diagnosis(markdown=_no_errors_answer(analysis), model=self.model)
        else:
            signature = match_signature(group.example)
            diagnosis = Diagnosis(markdown=_answer(analysis, group, signature), model=self.model,
                                  signature_id=signature.id if signature else None)
        if on_chunk:
            on_chunk(diagnosis.markdown)
        return diagnosis


def match_signature(text: str) -> Signature | None:
    return next((signature for signature in load_signatures() if signature.pattern.search(text)), None)


@cache
def load_signatures() -> tuple[Signature, ...]:
    raw = tomllib.loads(resources.files('services').joinpath('signatures.toml').read_text(encoding='utf-8'))
    return tuple(
        Signature(
            id=entry['id'], title=entry['title'], pattern=re.compile(entry['pattern'], re.IGNORECASE | re.MULTILINE),
            root_cause=entry['root_cause'], fix=entry['fix'], prevention=entry['prevention'],
        )
        for entry in raw['signature']
    )


def default_group(analysis: Analysis) -> Group | None:
    """The group a diagnosis is about unless the person chose another: the top error group."""
    errors = analysis.error_groups
    return errors[0] if errors else None


def _answer(analysis: Analysis, group: Group, signature: Signature | None) -> str:
    cited = ', '.join(f'line {line}' for line in group.occurrences[:5])
    title = signature.title if signature else 'Unrecognized error'
    root_cause = signature.root_cause if signature else (
        'This error does not match a known failure signature. Read the example below from its first line: '
        'the first error in time is usually the cause, later ones its consequences.'
    )
    fix = signature.fix if signature else (
        'Search for the exception type and message; check what changed before the first occurrence.'
    )
    prevention = signature.prevention if signature else 'Alert on this error group so it is seen when it starts.'
    return '\n\n'.join([
        f'## Summary\n**{title}**: {group.count} occurrence(s) of `{group.template[:200]}`, '
        f'first at line {group.first_line}.',
        f'## Root cause\n{root_cause}',
        f'## Evidence\nSeen at {cited} (of {analysis.lines} lines).\n\n```text\n{group.example[:2000]}\n```',
        f'## Fix\n{fix}',
        f'## Prevention\n{prevention}',
        '_This is the offline analysis from a built-in knowledge base. With a Gemini API key configured, '
        'a model reads the evidence and can explain failures this knowledge base does not know._',
    ])


def _no_errors_answer(analysis: Analysis) -> str:
    return (
        f'## Summary\nNo errors found in {analysis.lines} lines.\n\n'
        '_This is the offline analysis from a built-in knowledge base._'
    )
