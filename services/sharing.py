"""Share links: an unguessable token shows one analysis read-only to whoever holds it, until it is revoked."""

from __future__ import annotations

import secrets

from sqlalchemy import Select, select, update

from services.analyses import Owner, owns
from services.db import Database
from services.models import AnalysisRecord, ShareLink, utcnow


def share_analysis(database: Database, *, analysis_id: str, owner: Owner) -> str | None:
    """The analysis' live share token, made on first use; None when the analysis is not the owner's."""
    with database.write() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return None
        token = session.scalars(_live_links(analysis_id)).first()
        if token is None:
            token = secrets.token_urlsafe(32)
            session.add(ShareLink(token=token, analysis_id=analysis_id))
        return token


def share_token(database: Database, *, analysis_id: str, owner: Owner) -> str | None:
    """The live share token, if the owner has shared the analysis."""
    with database.read() as session:
        if not owns(session, analysis_id=analysis_id, owner=owner):
            return None
        return session.scalars(_live_links(analysis_id)).first()


def revoke_sharing(database: Database, *, analysis_id: str, owner: Owner) -> int:
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


def _live_links(analysis_id: str) -> Select[str]:
    return select(ShareLink.token).where(ShareLink.analysis_id == analysis_id, ShareLink.revoked_at.is_(None))
