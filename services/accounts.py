"""Accounts: one interface for registering, logging in and checking who someone is, Firebase or local."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import delete

from services.analyses import Owner
from services.config import Settings
from services.db import Database
from services.models import Feedback, User

INVALID_CREDENTIALS = 'Wrong email or password.'
EMAIL_TAKEN = 'An account with this email already exists. Log in instead.'
UNAVAILABLE = 'Signing in is unavailable right now. Please try again in a minute.'
RESET_UNAVAILABLE = 'Password reset is not available without email. Ask the operator of this site to help.'
RESET_SENT = 'If an account exists for that email, a link to reset its password is on its way.'
MAX_EMAIL_LENGTH = 320


class AccountError(Exception):
    """A problem the person can act on; its text is shown to them as it is."""


class InvalidCredentials(AccountError):
    def __init__(self) -> None:
        super().__init__(INVALID_CREDENTIALS)


class InvalidToken(AccountError):
    """A forged, expired, revoked or other-project token."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is logged in: all the page keeps about them (uid, email, when the proof expires)."""

    uid: str
    email: str
    expires_at: float

    def to_storage(self) -> dict[str, str | float]:
        return {'uid': self.uid, 'email': self.email, 'expires_at': self.expires_at}

    @classmethod
    def from_storage(cls, data: dict[str, object]) -> Identity | None:
        uid, email, expires_at = data.get('uid'), data.get('email'), data.get('expires_at')
        if isinstance(uid, str) and isinstance(email, str) and isinstance(expires_at, int | float):
            return cls(uid, email, float(expires_at))
        return None


@dataclass(frozen=True, slots=True)
class SignIn:
    """A successful login: the identity, and the tokens that prove it (kept on the server, never in a page)."""

    identity: Identity
    id_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)


class Accounts(Protocol):
    """Blocking calls: the web pages run them with `run.io_bound`."""

    password_reset_available: bool

    def register(self, email: str, password: str, *, client: str) -> SignIn: ...

    def login(self, email: str, password: str, *, client: str) -> SignIn: ...

    def send_password_reset(self, email: str) -> None: ...

    def renew(self, sign_in: SignIn) -> SignIn:
        """Check the sign-in still holds (not revoked, account not deleted), refreshing it before it expires."""
        ...

    def verify_token(self, token: str) -> Identity:
        """Who a bearer token belongs to; raises InvalidToken."""
        ...

    def user_id(self, identity: Identity) -> int:
        """The person's row in the users table (created on first use for a Firebase account)."""
        ...

    def delete_account(self, identity: Identity) -> None:
        """The account and everything it owns: analyses, their share links, API keys, feedback it gave."""
        ...


def delete_user_data(database: Database, user_id: int) -> None:
    # Analyses (and their share links) and API keys go with the user row (ON DELETE CASCADE); votes are by name.
    with database.write() as session:
        session.execute(delete(Feedback).where(Feedback.voter == Owner(user_id=user_id).key))
        session.execute(delete(User).where(User.id == user_id))


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition('@')
    if not local or '.' not in domain or any(c.isspace() for c in email) or len(email) > MAX_EMAIL_LENGTH:
        raise AccountError('Enter a valid email address.')
    return email


def check_password(password: str, min_length: int) -> None:
    if len(password) < min_length:
        raise AccountError(f'Choose a password of at least {min_length} characters.')


class LoginThrottle:
    """Counts failed logins per account and per client address in a sliding window, in this process.

    A deque of failure times per key is all this needs; no library does it better for one process.
    """

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        return cls(per_account=settings.login_failures_per_account, per_address=settings.login_failures_per_address,
                   window_seconds=settings.login_throttle_minutes * 60)

    def __init__(self, *, per_account: int, per_address: int, window_seconds: float) -> None:
        self._limits = {'account': per_account, 'address': per_address}
        self._window = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, email: str, client: str) -> None:
        """Raise AccountError while either the account or the address has too many recent failures."""
        now = time.monotonic()
        with self._lock:
            for kind, key in (('account', email), ('address', client)):
                failures = self._recent(kind, key, now)
                if len(failures) >= self._limits[kind]:
                    wait = max(1, round((failures[0] + self._window - now) / 60))
                    raise AccountError(f'Too many failed attempts. Try again in {wait} minute{"s" * (wait != 1)}.')

    def failed(self, email: str, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            for kind, key in (('account', email), ('address', client)):
                self._recent(kind, key, now).append(now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self._failures.pop(('account', email), None)

    def _recent(self, kind: str, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault((kind, key), deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures
