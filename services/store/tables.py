"""The database schema as SQLAlchemy 2 models; Alembic migrations in services/store/migrations create it."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from parsers import Analysis

# Stable constraint names, so migrations can refer to them on every database.
NAMING = {
    'ix': 'ix_%(column_0_label)s',
    'uq': 'uq_%(table_name)s_%(column_0_name)s',
    'ck': 'ck_%(table_name)s_%(constraint_name)s',
    'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    'pk': 'pk_%(table_name)s',
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    """Ids that appear in URLs are random, so they cannot be guessed from another one."""
    return secrets.token_urlsafe(16)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError('naive datetime given; use an aware UTC datetime')
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class User(Base):
    """A registered person: a local account (password_hash) or a Firebase account (firebase_uid)."""

    __tablename__ = 'users'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    firebase_uid: Mapped[str | None] = mapped_column(String(128), unique=True)
    # Sessions carry the version they began under; raising it (log out everywhere) ends every one of them.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default='0')
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    # An id is never handed out twice (SQLite would reuse the highest deleted one), so a session or a counter
    # kept under a deleted account's id can never name the next account.
    __table_args__ = {'sqlite_autoincrement': True}  # noqa: RUF012 - SQLAlchemy's declarative attribute


class AnalysisRecord(Base):
    """One analyzed log as the person saw it, owned by a user or by a guest's browser id."""

    __tablename__ = 'analyses'

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_public_id)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
    guest_id: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(255))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    formats: Mapped[dict[str, int]] = mapped_column(JSON)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    groups: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The log lines kept around the groups' occurrences, by number: not in `summary`, which the history list loads.
    # Null for analyses saved before they were kept apart (their groups hold their own lines).
    kept_lines: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The timeline and segments (up to a thousand rows each), also kept out of `summary` for the history list.
    # Null for analyses saved before (their summary holds them).
    timeline: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Lower-cased file name and error templates: what history search looks in.
    search_text: Mapped[str] = mapped_column(Text)
    parse_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # The upload itself (KEEP_UPLOADS): as big as the log, so only the export that includes it loads it.
    raw_log: Mapped[str | None] = mapped_column(Text, deferred=True)
    digest: Mapped[str | None] = mapped_column(Text)
    diagnosis_group_id: Mapped[int | None] = mapped_column(Integer)
    diagnosis_markdown: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(100))
    diagnosis_seconds: Mapped[float | None] = mapped_column(Float)
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    thinking_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default='0')
    diagnosed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        Index('ix_analyses_owner_created', 'owner_user_id', 'created_at'),
        Index('ix_analyses_guest_created', 'guest_id', 'created_at'),
    )

    def to_analysis(self) -> Analysis:
        """The engine's result as it was saved (summary, timeline, groups and kept lines are columns of their own)."""
        return Analysis.from_dict({**self.summary, **(self.timeline or {}), 'groups': self.groups,
                                   'kept_lines': self.kept_lines or {}})


class Feedback(Base):
    """Thumbs up or down on an analysis' diagnosis; one vote per person and analysis."""

    __tablename__ = 'feedback'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey('analyses.id', ondelete='CASCADE'))
    voter: Mapped[str] = mapped_column(String(80))
    helpful: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint('analysis_id', 'voter', name='uq_feedback_analysis_voter'),)


class ShareLink(Base):
    """A read-only link to one analysis for whoever holds the token, until the owner revokes it."""

    __tablename__ = 'share_links'

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey('analyses.id', ondelete='CASCADE'), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApiKey(Base):
    """A personal API key; only its SHA-256 is kept, the key itself is shown once."""

    __tablename__ = 'api_keys'

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CachedAnswer(Base):
    """A diagnosis kept under the analyzer's cache key, so the same question is answered for free."""

    __tablename__ = 'answer_cache'

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    markdown: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(100))
    signature_id: Mapped[str | None] = mapped_column(String(100))
    input_tokens: Mapped[int] = mapped_column(Integer, default=0)
    output_tokens: Mapped[int] = mapped_column(Integer, default=0)
    thinking_tokens: Mapped[int] = mapped_column(Integer, default=0, server_default='0')
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuotaCounter(Base):
    """Diagnoses counted against one limit (a guest browser, an address for a day, a user for a day)."""

    __tablename__ = 'quota_counters'

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class QuotaReservation(Base):
    """A diagnosis in flight: its counters are taken; deleted on success, given back on failure."""

    __tablename__ = 'quota_reservations'

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_public_id)
    counter_keys: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
