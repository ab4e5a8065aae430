"""State in Redis: every instance of the app on one Redis sees the same records."""

from __future__ import annotations

import json
from typing import cast

import redis

from services.redis_unavailable import SESSION_STORE, reaching
from services.state.store import Record


class RedisStore:
    """One Redis string per record, expiring by Redis's own clock; the key prefix keeps apps on one Redis apart."""

    def __init__(self, client: redis.Redis, *, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    def put(self, key: str, record: Record, ttl_seconds: float) -> None:
        with reaching(SESSION_STORE):
            self._redis.set(self._prefix + key, json.dumps(record), px=max(1, round(ttl_seconds * 1000)))

    def get(self, key: str) -> Record | None:
        with reaching(SESSION_STORE):
            return _loads(cast(bytes | None, self._redis.get(self._prefix + key)))

    def take(self, key: str) -> Record | None:
        with reaching(SESSION_STORE):
            return _loads(cast(bytes | None, self._redis.getdel(self._prefix + key)))

    def delete(self, key: str) -> None:
        with reaching(SESSION_STORE):
            self._redis.delete(self._prefix + key)


def _loads(data: bytes | None) -> Record | None:
    return None if data is None else cast(Record, json.loads(data))
