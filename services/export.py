"""A saved analysis exported as JSON (what the API and share links serve) or as Markdown (to paste or keep)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from services.markdown_text import code_span, escape_text, html_as_text
from services.store.tables import AnalysisRecord


def export_json(record: AnalysisRecord) -> dict[str, Any]:
    return {
        'id': record.id,
        'file_name': record.file_name,
        'size_bytes': record.size_bytes,
        'created_at': record.created_at.isoformat(),
        'parse_seconds': record.parse_seconds,
        'summary': record.summary,
        'groups': record.groups,
        'diagnosis': None if record.diagnosis_markdown is None else {
            'group_id': record.diagnosis_group_id,
            'markdown': record.diagnosis_markdown,
            'model': record.model,
            'seconds': record.diagnosis_seconds,
            'input_tokens': record.input_tokens,
            'output_tokens': record.output_tokens,
            'thinking_tokens': record.thinking_tokens,
            'evidence_sent': record.digest,
            'diagnosed_at': record.diagnosed_at.isoformat() if record.diagnosed_at else None,
        },
    }


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
