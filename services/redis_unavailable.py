"""Redis that cannot be reached, said in words a person can act on: the app's session store or its job queue."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis

SESSION_STORE = 'session store'
JOB_QUEUE = 'job queue'


class RedisUnavailable(Exception):
    """Redis, which the app's instances share, could not be reached; the message is meant for the person."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f'The {what} is unreachable right now; nothing saved was lost. Try again in a minute.')
        self.reason = reason  # the client's words (address and cause, never the password), for the operator's log


@contextmanager
def reaching(what: str) -> Iterator[None]:
    """Redis calls whose failure to connect (or to answer within REDIS_TIMEOUT_SECONDS) is a RedisUnavailable."""
    try:
        yield
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        raise RedisUnavailable(what, str(exc)) from None
