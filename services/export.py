"""A saved analysis exported as JSON (what the API and share links serve) or as Markdown (to paste or keep).

The JSON's shape is declared once, as pydantic models over the engine's own dataclasses, so the API documents it
and every export is checked against it; the table model (services.store.tables) stays apart from it.
"""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import datetime
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass as pydantic_dataclass

from parsers import Analysis, Group
from parsers.model import SCHEMA_VERSION, Bucket, Segment
from services.markdown_text import code_span, escape_text, html_as_text
from services.store.tables import AnalysisRecord

# Every field is always sent (null when empty), so the documented schema marks them all required.
PUBLIC = ConfigDict(json_schema_serialization_defaults_required=True)


@pydantic_dataclass(config=PUBLIC)
class AnalysisSummary(Analysis):
    """The engine's analysis without its groups, which are sent beside it."""

    groups: list[Group] = Field(default_factory=list, exclude=True)
    schema_version: int = Field(default=SCHEMA_VERSION, description='Raised when this shape changes.')

    @classmethod
    def of(cls, analysis: Analysis) -> Self:
        return cls(**{each.name: getattr(analysis, each.name) for each in fields(Analysis) if each.name != 'groups'})


@pydantic_dataclass(config=PUBLIC)
class AnalysisHeadline(AnalysisSummary):
    """An analysis as a list shows it: the summary less its timeline and segments (read the analysis for those)."""

    timeline: list[Bucket] = Field(default_factory=list, exclude=True)
    timeline_step_seconds: int = Field(default=0, exclude=True)
    segments: list[Segment] = Field(default_factory=list, exclude=True)


class DiagnosisPublic(BaseModel):
    model_config = PUBLIC

    group_id: int | None = Field(description='The group diagnosed; null for the log as a whole.')
    markdown: str = Field(description='Root cause and fix, in Markdown.')
    model: str | None = Field(description='What answered: a Gemini model, or "offline" for the built-in rules.')
    seconds: float | None
    input_tokens: int
    output_tokens: int
    thinking_tokens: int
    evidence_sent: str | None = Field(description='Exactly what was sent to the model (redacted); null when nothing '
                                      'left the server.')
    diagnosed_at: datetime | None

    @classmethod
    def of(cls, record: AnalysisRecord) -> Self | None:
        if record.diagnosis_markdown is None:
            return None
        return cls(
            group_id=record.diagnosis_group_id, markdown=record.diagnosis_markdown, model=record.model,
            seconds=record.diagnosis_seconds, input_tokens=record.input_tokens, output_tokens=record.output_tokens,
            thinking_tokens=record.thinking_tokens, evidence_sent=record.digest, diagnosed_at=record.diagnosed_at,
        )


class AnalysisExport(BaseModel):
    """A saved analysis: the log's summary, its groups (most incident-like first), and its diagnosis if any."""

    model_config = PUBLIC

    id: str
    file_name: str
    size_bytes: int
    created_at: datetime
    parse_seconds: float
    summary: AnalysisSummary
    groups: list[Group]
    diagnosis: DiagnosisPublic | None

    @classmethod
    def of(cls, record: AnalysisRecord) -> Self:
        analysis = record.to_analysis()
        return cls(id=record.id, file_name=record.file_name, size_bytes=record.size_bytes,
                   created_at=record.created_at, parse_seconds=record.parse_seconds,
                   summary=AnalysisSummary.of(analysis), groups=analysis.groups,
                   diagnosis=DiagnosisPublic.of(record))


def export_json(record: AnalysisRecord) -> dict[str, Any]:
    return AnalysisExport.of(record).model_dump(mode='json')


def export_markdown(record: AnalysisRecord) -> str:
    """The analysis as Markdown; whatever came from the log or a model reads as text, never as markup."""
    analysis = record.to_analysis()
    levels = ', '.join(f'{level} {count}' for level, count in analysis.level_counts.items() if count)
    formats = ', '.join(analysis.formats) or 'unknown'
    span = f'{_moment(analysis.first_timestamp)} to {_moment(analysis.last_timestamp)}'
    lines = [
        f'# {escape_text(record.file_name)}',
        '',
        f'Analyzed {record.created_at:%Y-%m-%d %H:%M} UTC with LogSentry.',
        '',
        f'- {analysis.lines} lines, {analysis.events} events',
        f'- Levels: {escape_text(levels or "none found")}',
        f'- Formats: {escape_text(formats)}',
        f'- Time span: {escape_text(span)}',
        '',
        '## Groups',
        '',
        '| Count | Level | First line | Template |',
        '| ---: | --- | ---: | --- |',
    ]
    for group in analysis.groups:
        level, template = escape_text(group.level or '-'), code_span(group.template[:300], in_table=True)
        lines.append(f'| {group.count} | {level} | {group.first_line} | {template} |')
    if record.diagnosis_markdown is not None:
        lines += ['', f'## Diagnosis ({escape_text(record.model or "")})', '', html_as_text(record.diagnosis_markdown)]
    return '\n'.join(lines) + '\n'


def _moment(value: datetime | None) -> str:
    return value.isoformat() if value else '?'


def export_file_name(record: AnalysisRecord, extension: str) -> str:
    stem = ''.join(char if char.isalnum() or char in '-_.' else '_' for char in record.file_name)[:80] or 'analysis'
    return f'{stem}.logsentry.{extension}'


def export_json_text(record: AnalysisRecord) -> str:
    """The JSON export a person downloads: with the kept upload (redacted) when there is one; `record` must have
    been read with its raw log."""
    return json.dumps({**export_json(record), 'raw_log': record.raw_log}, indent=2, ensure_ascii=False)
