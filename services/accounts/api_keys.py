"""Personal API keys: shown once when created, kept only as a SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from services.accounts.audit import audit
from services.accounts.interface import InvalidToken
from services.store.database import Database
from services.store.tables import ApiKey, User, utcnow

KEY_PREFIX = 'lsk_'  # tells an API key from a Firebase ID token at a glance
MAX_KEYS_PER_USER = 20


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewApiKey:
    info: ApiKeyInfo
    key: str  # the only time the whole key exists outside the caller's hands


class TooManyKeys(Exception):
    pass


def create_api_key(database: Database, *, user_id: int, name: str) -> NewApiKey:
    """A new key for the user; the pages check the session asking for it is still that user's first."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(user_id=user_id, name=name.strip()[:100] or 'API key', prefix=key[:12], key_hash=_hash(key))
    with database.write() as session:
        if session.get(User, user_id) is None:  # deleted meanwhile; user ids are never reused
            raise InvalidToken('This account no longer exists.')
        live = session.scalars(select(ApiKey.id).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))).all()
        if len(live) >= MAX_KEYS_PER_USER:
            raise TooManyKeys(f'At most {MAX_KEYS_PER_USER} API keys; revoke one first.')
        session.add(record)
    audit('api_key_created', user_id=user_id, key_id=record.id)
    return NewApiKey(_info(record), key)


def list_api_keys(database: Database, *, user_id: int) -> list[ApiKeyInfo]:
    with database.read() as session:
        records = session.scalars(
            select(ApiKey).where(ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None)).order_by(ApiKey.id)
        )
        return [_info(record) for record in records]


def revoke_api_key(database: Database, *, user_id: int, key_id: int) -> bool:
    with database.write() as session:
        result = session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.user_id == user_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    revoked = bool(getattr(result, 'rowcount', 0))
    if revoked:
        audit('api_key_revoked', user_id=user_id, key_id=key_id)
    return revoked


def user_for_api_key(database: Database, *, key: str) -> User | None:
    """The owner of a live key (and the key's last use is noted); None for an unknown or revoked key."""
    if not key.startswith(KEY_PREFIX):
        return None
    with database.write() as session:
        live = select(ApiKey).where(ApiKey.key_hash == _hash(key), ApiKey.revoked_at.is_(None))
        record = session.scalars(live).first()
        if record is None:
            return None
        record.last_used_at = utcnow()
        user = session.get(User, record.user_id)
    audit('api_key_used', user_id=record.user_id, key_id=record.id)
    return user


def _hash(key: str) -> str:
    # The key carries 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(key.encode()).hexdigest()


def _info(record: ApiKey) -> ApiKeyInfo:
    return ApiKeyInfo(record.id, record.name, record.prefix, record.created_at, record.last_used_at)
