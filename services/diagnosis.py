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

from parsers import ERROR_LEVELS, Analysis, Group, top_incidents
from parsers.digest import plain_template
from services.redaction import redact

OFFLINE_MODEL = 'offline'
OFFLINE_NOTE = (
    '_This is the offline analysis, from a built-in knowledge base of known failures. With a Gemini API key '
    'configured, a model reads the evidence itself and can explain failures this knowledge base does not know._'
)
MAX_GROUPS_SCANNED = 500
# Signatures read the start of an event: enough for a message and its causes, bounded for hostile input.
MATCH_CHARS = 8_000
EXAMPLE_LINES = 30
_PLACEHOLDER = re.compile(r'\{(\w+)\}')


@dataclass(frozen=True, slots=True)
class Signature:
    """One known failure. Texts may name the pattern's groups, `{port}`; `defaults` fills groups the log lacks."""

    id: str
    area: str
    title: str
    patterns: tuple[re.Pattern[str], ...]
    root_cause: str
    fix: str
    prevention: str
    defaults: dict[str, str]
    min_count: int = 1  # a storm is many occurrences, not one
    needs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    signature: Signature
    group: Group
    line: int  # the line the signature matched, for the citation
    text: str  # that line
    values: dict[str, str]

    def fill(self, template: str) -> str:
        return _PLACEHOLDER.sub(lambda found: self.values.get(found[1], found[0]), template)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    markdown: str
    model: str
    signature_id: str | None = None
    input_tokens: int = 0
    output_tokens: int = 0
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
        match = find_match(analysis, group)
        if match is not None:
            diagnosis = Diagnosis(markdown=_answer(analysis, group, match), model=self.model,
                                  signature_id=match.signature.id)
        elif group is not None:
            diagnosis = Diagnosis(markdown=_unknown_answer(analysis, group), model=self.model)
        else:
            diagnosis = Diagnosis(markdown=_no_errors_answer(analysis), model=self.model)
        if on_chunk:
            on_chunk(diagnosis.markdown)
        return diagnosis


def find_match(analysis: Analysis, group: Group | None) -> Match | None:
    """The chosen group's signature; failing that, the first recognized failure in the log, errors first."""
    if group is not None and (match := match_group(group)):
        return match
    by_line = sorted(analysis.groups[:MAX_GROUPS_SCANNED], key=lambda candidate: candidate.first_line)
    errors = [candidate for candidate in by_line if candidate.level in ERROR_LEVELS]
    others = [candidate for candidate in by_line if candidate.level not in ERROR_LEVELS]
    return next((match for candidate in (*errors, *others) if (match := match_group(candidate))), None)


def match_group(group: Group) -> Match | None:
    text = group.example[:MATCH_CHARS]
    lowered = text.lower()
    for signature in load_signatures():
        if group.count < signature.min_count or (signature.needs and not any(w in lowered for w in signature.needs)):
            continue
        for pattern in signature.patterns:
            found = pattern.search(text)
            if found is None:
                continue
            offset = text.count('\n', 0, found.start())
            line = text.split('\n')[offset]
            values = dict(signature.defaults)
            values.update({name: _clean(value) for name, value in found.groupdict().items() if value})
            values['count'] = str(group.count)
            return Match(signature, group, group.first_line + offset, line, values)
    return None


@cache
def load_signatures() -> tuple[Signature, ...]:
    raw = tomllib.loads(resources.files('services').joinpath('signatures.toml').read_text(encoding='utf-8'))
    return tuple(
        Signature(
            id=entry['id'], area=entry['area'], title=entry['title'],
            patterns=tuple(re.compile(pattern, re.IGNORECASE | re.MULTILINE) for pattern in entry['patterns']),
            root_cause=entry['root_cause'], fix=entry['fix'], prevention=entry['prevention'],
            defaults=entry.get('defaults', {}), min_count=entry.get('min_count', 1),
            needs=tuple(entry.get('needs', ())),
        )
        for entry in raw['signature']
    )


def default_group(analysis: Analysis) -> Group | None:
    """The group a diagnosis is about unless the person chose another: the top incident, not the most frequent."""
    incidents = top_incidents(analysis, 1)
    return incidents[0] if incidents else None


def _clean(value: str) -> str:
    # A value from the log goes into Markdown code spans and prose: no backticks, no secrets, no runaway length.
    return redact(value.replace('`', "'").strip()).text[:200]


def _answer(analysis: Analysis, chosen: Group | None, match: Match) -> str:
    signature, group = match.signature, match.group
    cited = ', '.join(str(line) for line in group.occurrences[:10])
    more = f' and {group.count - 10} more' if group.count > 10 else ''
    note = ''
    if chosen is not None and chosen.id != group.id:
        note = (f'\n\nThe chosen message (`{_clean(plain_template(chosen.template))}`, line {chosen.first_line}) is '
                f'not in the knowledge base; this is the first recognized failure in the log, which may be its cause.')
    elif chosen is None:
        note = '\n\nNo line is marked ERROR or FATAL, but this known failure is in the log.'
    return '\n\n'.join([
        f'## Summary\n**{match.fill(signature.title)}** ({signature.area}): {group.count} occurrence(s), first at line '
        f'{group.first_line}{_seen(group)}.{note}',
        f'## Root cause\n{match.fill(signature.root_cause)}',
        f'## Evidence\n- line {match.line}: `{_clean(match.text)}`\n'
        f'- occurrences at lines {cited}{more} (of {analysis.lines} lines)\n\n{_example(group)}',
        f'## Fix\n{match.fill(signature.fix)}',
        f'## Prevention\n{match.fill(signature.prevention)}',
        OFFLINE_NOTE,
    ])


def _unknown_answer(analysis: Analysis, group: Group) -> str:
    cited = ', '.join(str(line) for line in group.occurrences[:10])
    return '\n\n'.join([
        f'## Summary\n**Unrecognized error**: {group.count} occurrence(s) of '
        f'`{_clean(plain_template(group.template))}`, first at line {group.first_line}{_seen(group)}.',
        '## Root cause\nThis error matches none of the failure signatures in the offline knowledge base. The first '
        'error in time is usually the cause and later ones its consequences: read the lines before its first '
        'occurrence.',
        f'## Evidence\n- occurrences at lines {cited} (of {analysis.lines} lines)\n\n{_example(group)}',
        '## Fix\nSearch for the exception type and message; check what changed (deploys, configuration, load) just '
        'before the first occurrence.',
        '## Prevention\nAlert on this error group so it is seen when it starts.',
        OFFLINE_NOTE,
    ])


def _no_errors_answer(analysis: Analysis) -> str:
    return f'## Summary\nNo errors and no known failure found in {analysis.lines} lines.\n\n{OFFLINE_NOTE}'


def _example(group: Group) -> str:
    lines = redact(group.example).text.split('\n')[:EXAMPLE_LINES]
    numbered = '\n'.join(f'{number:>6} | {line[:300]}' for number, line in enumerate(lines, start=group.first_line))
    return f'```text\n{numbered.replace("```", "`` `")}\n```'


def _seen(group: Group) -> str:
    if group.first_seen and group.last_seen and group.count > 1:
        return f', from {group.first_seen.isoformat(sep=" ")} to {group.last_seen.isoformat(sep=" ")}'
    return ''
