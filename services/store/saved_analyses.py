"""Saved analyses: save, open, list and search, delete, feedback; every access checks the owner."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.orm import Session, load_only, undefer

from parsers import Analysis
from services.diagnosis.analyzer import Diagnosis
from services.diagnosis.redaction import redact_analysis
from services.identity import Caller
from services.store.database import Database
from services.store.tables import AnalysisRecord, Feedback, utcnow

SEARCH_TEXT_LIMIT = 20_000
HISTORY_PAGE_SIZE = 50
# What Analysis.to_dict() writes about time, saved apart from the summary that lists load.
TIMELINE_KEYS = ('timeline', 'timeline_step_seconds', 'segments')


def save_analysis(
    database: Database, *, owner: Caller, file_name: str, size_bytes: int, analysis: Analysis,
    parse_seconds: float = 0.0, raw_log: str | None = None,
) -> AnalysisRecord:
    analysis = redact_analysis(analysis)  # nothing stored keeps a secret from the log
    summary = analysis.to_dict()
    groups = summary.pop('groups')
    kept_lines = summary.pop('kept_lines')
    timeline = {key: summary.pop(key) for key in TIMELINE_KEYS}
    record = AnalysisRecord(
        owner_user_id=owner.user_id,
        guest_id=None if owner.user_id is not None else owner.guest_id,
        file_name=file_name[:255],
        size_bytes=size_bytes,
        formats=dict(analysis.formats),
        summary=summary,
        groups=groups,
        kept_lines=kept_lines,
        timeline=timeline,
        search_text=_search_text(file_name, analysis),
        parse_seconds=parse_seconds,
        raw_log=raw_log,
        input_tokens=0,
        output_tokens=0,
        thinking_tokens=0,
    )
    with database.write() as session:
        session.add(record)
    return record


def get_analysis(
    database: Database, *, analysis_id: str, owner: Caller, with_raw_log: bool = False,
) -> AnalysisRecord | None:
    """The analysis if it exists and belongs to `owner`; None otherwise (the two are not told apart). The kept
    upload is loaded only `with_raw_log`; reading it from a record loaded without it raises DetachedInstanceError."""
    statement = select(AnalysisRecord).where(AnalysisRecord.id == analysis_id, _owned_by(owner))
    if with_raw_log:
        statement = statement.options(undefer(AnalysisRecord.raw_log))
    with database.read() as session:
        return session.scalars(statement).first()


def list_analyses(
    database: Database, *, owner: Caller, query: str = '', limit: int = HISTORY_PAGE_SIZE, offset: int = 0,
) -> list[AnalysisRecord]:
    """Newest first; `query` matches the file name and the error text. Large columns are not loaded."""
    statement = (
        select(AnalysisRecord)
        .options(load_only(
            AnalysisRecord.id, AnalysisRecord.file_name, AnalysisRecord.size_bytes, AnalysisRecord.formats,
            AnalysisRecord.summary, AnalysisRecord.model, AnalysisRecord.diagnosed_at, AnalysisRecord.created_at,
        ))
        .where(_owned_by(owner))
        .order_by(AnalysisRecord.created_at.desc(), AnalysisRecord.id)
        .limit(limit)
        .offset(offset)
    )
    if words := query.lower().split():
        for word in words:
            statement = statement.where(AnalysisRecord.search_text.contains(word, autoescape=True))
    with database.read() as session:
        return list(session.scalars(statement))


def delete_analysis(database: Database, *, analysis_id: str, owner: Caller) -> bool:
    with database.write() as session:
        result = session.execute(delete(AnalysisRecord).where(AnalysisRecord.id == analysis_id, _owned_by(owner)))
        return bool(getattr(result, 'rowcount', 0))


def record_diagnosis(
    database: Database, *, analysis_id: str, owner: Caller, group_id: int | None, diagnosis: Diagnosis, seconds: float,
) -> bool:
    """Keep the diagnosis with its analysis (replacing an earlier one). False when the analysis is not the owner's."""
    with database.write() as session:
        result = session.execute(
            update(AnalysisRecord)
            .where(AnalysisRecord.id == analysis_id, _owned_by(owner))
            .values(
                diagnosis_group_id=group_id, diagnosis_markdown=diagnosis.markdown, model=diagnosis.model,
                digest=diagnosis.evidence or None, diagnosis_seconds=seconds, input_tokens=diagnosis.input_tokens,
                output_tokens=diagnosis.output_tokens, thinking_tokens=diagnosis.thinking_tokens, diagnosed_at=utcnow(),
            )
        )
        return bool(getattr(result, 'rowcount', 0))


def claim_guest_analyses(database: Database, *, guest_id: str, user_id: int) -> int:
    """After a guest signs in, what they analyzed as a guest becomes theirs."""
    with database.write() as session:
        result = session.execute(
            update(AnalysisRecord)
            .where(AnalysisRecord.guest_id == guest_id, AnalysisRecord.owner_user_id.is_(None))
            .values(owner_user_id=user_id, guest_id=None)
        )
        return int(getattr(result, 'rowcount', 0))


def set_feedback(
    database: Database, *, analysis_id: str, owner: Caller, helpful: bool, comment: str | None = None,
) -> bool:
    """One vote per person and analysis; voting again replaces it. False when the analysis is not theirs."""
    with database.write() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return False
        vote = session.scalars(
            select(Feedback).where(Feedback.analysis_id == analysis_id, Feedback.voter == owner.key)
        ).first()
        if vote is None:
            session.add(Feedback(analysis_id=analysis_id, voter=owner.key, helpful=helpful, comment=comment))
        else:
            vote.helpful, vote.comment = helpful, comment
        return True


def get_feedback(database: Database, *, analysis_id: str, owner: Caller) -> bool | None:
    with database.read() as session:
        return session.scalars(
            select(Feedback.helpful).where(Feedback.analysis_id == analysis_id, Feedback.voter == owner.key)
        ).first()


def owns(session: Session, *, analysis_id: str, owner: Caller) -> bool:
    """Inside a transaction: whether the analysis exists and is the owner's."""
    found = session.scalars(select(AnalysisRecord.id).where(AnalysisRecord.id == analysis_id, _owned_by(owner)))
    return found.first() is not None


def _owned_by(owner: Caller) -> ColumnElement[bool]:
    if owner.user_id is not None:
        return AnalysisRecord.owner_user_id == owner.user_id
    return (AnalysisRecord.guest_id == owner.guest_id) & AnalysisRecord.owner_user_id.is_(None)


def _search_text(file_name: str, analysis: Analysis) -> str:
    """What the history search looks in: the name, then the (error) groups' exception types and fingerprints, then
    their messages; the short, telling parts first so that the length limit cuts messages only."""
    groups = analysis.error_groups or analysis.groups
    crashes = dict.fromkeys(part for group in groups for part in (group.exception, group.fingerprint) if part)
    messages = [part for group in groups for part in (group.template, group.example.split('\n', 1)[0])]
    return '\n'.join([file_name, *crashes, *messages]).lower()[:SEARCH_TEXT_LIMIT]
