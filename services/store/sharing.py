"""Share links: an unguessable token shows one analysis read-only to whoever holds it, until it is revoked."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Select, select, update

from services.diagnosis.redaction import Redactor
from services.export import export_json
from services.identity import Caller
from services.store.database import Database
from services.store.saved_analyses import owns
from services.store.tables import AnalysisRecord, ShareLink, utcnow


def share_analysis(database: Database, *, analysis_id: str, owner: Caller) -> str | None:
    """The analysis' live share token, made on first use; None when the analysis is not the owner's."""
    with database.write() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return None
        token = session.scalars(_live_links(analysis_id)).first()
        if token is None:
            token = secrets.token_urlsafe(32)
            session.add(ShareLink(token=token, analysis_id=analysis_id))
        return token


def share_token(database: Database, *, analysis_id: str, owner: Caller) -> str | None:
    """The live share token, if the owner has shared the analysis."""
    with database.read() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return None
        return session.scalars(_live_links(analysis_id)).first()


def revoke_sharing(database: Database, *, analysis_id: str, owner: Caller) -> int:
    """Stop every share link of the analysis; returns how many were live."""
    with database.write() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return 0
        result = session.execute(
            update(ShareLink)
            .where(ShareLink.analysis_id == analysis_id, ShareLink.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        return int(getattr(result, 'rowcount', 0))


def shared_analysis(database: Database, *, token: str) -> AnalysisRecord | None:
    with database.read() as session:
        return session.scalars(
            select(AnalysisRecord)
            .join(ShareLink, ShareLink.analysis_id == AnalysisRecord.id)
            .where(ShareLink.token == token, ShareLink.revoked_at.is_(None))
        ).first()


def redacted_view(record: AnalysisRecord) -> dict[str, Any]:
    """What a share link shows: the export, with secrets and personal data in every text replaced by placeholders."""
    redactor = Redactor()  # one redactor: the same value gets the same placeholder across the whole view
    view = export_json(record)
    view['file_name'] = redactor.redact(view['file_name'])
    for group in view['groups']:
        group['template'] = redactor.redact(group['template'])
        group['example'] = redactor.redact(group['example'])
        group['context_before'] = [redactor.redact(line) for line in group.get('context_before', [])]
        for excerpt in group.get('excerpts', []):
            excerpt['lines'] = [redactor.redact(line) for line in excerpt['lines']]
    if view['diagnosis']:
        view['diagnosis']['markdown'] = redactor.redact(view['diagnosis']['markdown'])
    return view


def _live_links(analysis_id: str) -> Select[str]:
    return select(ShareLink.token).where(ShareLink.analysis_id == analysis_id, ShareLink.revoked_at.is_(None))
