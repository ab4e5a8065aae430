"""Process state behind one small interface, in memory or in Redis: sign-ins, login handoffs, login throttling.

With `REDIS_URL` set, every instance of the app on that Redis shares all of it; otherwise it stays in this process,
bounded and expiring, which suits one instance. The composition root opens it once and hands it to what uses it.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from limits.storage import MemoryStorage, RedisStorage, Storage

from services.config import Settings
from services.state.memory import MemoryStore
from services.state.redis_store import RedisStore
from services.state.sign_ins import SignIns


@dataclass(frozen=True, slots=True)
class ProcessState:
    sign_ins: SignIns
    counters: Storage  # the `limits` storage login throttling counts failures in


def open_state(settings: Settings) -> ProcessState:
    if not settings.redis_url:
        return ProcessState(SignIns(MemoryStore(max_records=settings.memory_state_max_records)), MemoryStorage())
    timeout = settings.redis_timeout_seconds
    pool = redis.ConnectionPool.from_url(settings.redis_url, socket_timeout=timeout, socket_connect_timeout=timeout)
    prefix = settings.redis_key_prefix
    return ProcessState(SignIns(RedisStore(redis.Redis(connection_pool=pool), prefix=f'{prefix}state:')),
                        RedisStorage(settings.redis_url, connection_pool=pool, key_prefix=f'{prefix}login',
                                     wrap_exceptions=True))
