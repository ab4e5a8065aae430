"""Failed logins counted, so that guessing passwords stops after a few tries, in memory or shared in Redis."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import Storage
from limits.strategies import SlidingWindowCounterRateLimiter

from services.accounts.interface import UNAVAILABLE, AccountError
from services.config import Settings

log = logging.getLogger(__name__)


class LoginThrottle:
    """Failed logins counted per account from one address, and per address over all accounts.

    A wrong password pauses that account from that address only, so someone guessing cannot lock the owner out from
    everywhere; the looser per-address budget stops one address guessing across many accounts. The counts live in a
    `limits` storage (see services.state): in memory (sliding-window counters, expired as their window passes, so
    memory stays bounded by the failures of one window) or in Redis, shared by every instance of the app.
    """

    @classmethod
    def from_settings(cls, settings: Settings, counters: Storage) -> LoginThrottle:
        return cls(counters, per_account=settings.login_failures_per_account,
                   per_address=settings.login_failures_per_address,
                   window_seconds=max(1, round(settings.login_throttle_minutes * 60)))

    def __init__(self, storage: Storage, *, per_account: int, per_address: int, window_seconds: int) -> None:
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._account = RateLimitItemPerSecond(per_account, window_seconds, namespace='account')
        self._address = RateLimitItemPerSecond(per_address, window_seconds, namespace='address')

    def check(self, email: str, client: str) -> None:
        """Raise AccountError while this account from this address, or this address, has too many failures."""
        with _counting():
            for item, key in self._keys(email, client):
                if not self._limiter.test(item, *key):
                    reset = self._limiter.get_window_stats(item, *key).reset_time
                    wait = max(1, round((reset - time.time()) / 60))
                    raise AccountError(f'Too many failed attempts. Try again in {wait} minute{"s" * (wait != 1)}.')

    def failed(self, email: str, client: str) -> None:
        with _counting():
            for item, key in self._keys(email, client):
                self._limiter.hit(item, *key)

    def succeeded(self, email: str, client: str) -> None:
        with _counting():
            self._limiter.clear(self._account, email_key(email), client)

    def _keys(self, email: str, client: str) -> tuple[tuple[RateLimitItem, tuple[str, ...]], ...]:
        return (self._account, (email_key(email), client)), (self._address, (client,))


@contextmanager
def _counting() -> Iterator[None]:
    """Without its counts a login cannot be judged: an unreachable store (Redis) stops logins, lets none through."""
    try:
        yield
    except StorageError as exc:
        log.warning('the login throttling counters are unreachable: %s', exc.storage_error)
        raise AccountError(UNAVAILABLE) from None


def email_key(email: str) -> str:
    """An email as it may appear in logs and shared counters: a short digest, never the address itself."""
    return hashlib.sha256(email.encode()).hexdigest()[:16]
