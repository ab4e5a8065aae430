"""Accounts: one interface for registering, logging in and checking who someone is, Firebase or local."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import delete, select, update

from services.identity import Caller
from services.store.database import Database
from services.store.tables import Feedback, User

INVALID_CREDENTIALS = 'Wrong email or password.'
# Said whether or not the email already had an account, so registering cannot tell who has one here.
REGISTERED = 'Thanks. If this email was new here, its account is ready: log in with it now.'
UNAVAILABLE = 'Signing in is unavailable right now. Please try again in a minute.'
RESET_UNAVAILABLE = 'Password reset is not available without email. Ask the operator of this site to help.'
RESET_SENT = 'If an account exists for that email, a link to reset its password is on its way.'
SESSION_OVER = 'You were logged out. Please log in again.'
COMMON_PASSWORD = 'This password is one of the most common ones. Choose another.'  # noqa: S105 - a message
MAX_EMAIL_LENGTH = 320
# The commonest passwords of 8 characters or more in public breach lists; the first ones any attacker tries.
COMMON_PASSWORDS = frozenset({
    '12345678', '123456789', '1234567890', '0123456789', '87654321', '11111111', '00000000', '88888888',
    '12341234', '11223344', '123123123', '1q2w3e4r', '1qaz2wsx', 'zaq12wsx', 'qwertyui', 'qwertyuiop',
    'asdfghjkl', 'zxcvbnm1', 'password', 'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd',
    'p@ssword', 'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football', 'baseball', 'welcome1',
    'welcome123', 'trustno1', 'superman', 'starwars', 'letmein1', 'qwerty123', 'qwerty12', 'abc12345',
    'abcd1234', 'a1b2c3d4', 'aa123456', 'changeme', 'computer', 'michelle', 'jennifer', 'whatever',
    'sunshine1', 'football1', 'master123', 'dragon123', 'monkey123', 'shadow123', 'admin123', 'administrator',
    'internet', 'liverpool', 'chocolate', 'mercedes', 'corvette', 'basketball', 'babygirl1', 'lovelove',
    'secret123', 'test1234', 'testtest', 'logsentry', 'logsentry1',
})


class AccountError(Exception):
    """A problem the person can act on; its text is shown to them as it is."""


class InvalidCredentials(AccountError):
    def __init__(self) -> None:
        super().__init__(INVALID_CREDENTIALS)


class InvalidToken(AccountError):
    """A forged, expired, revoked or other-project token."""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is logged in: all the page keeps about them.

    `user_id` is their row in the users table (ids are never reused) and `session_version` the row's version when
    the sign-in began: once the account is deleted or its sessions are ended, every page holding this stops.
    """

    uid: str
    email: str
    expires_at: float
    user_id: int
    session_version: int

    def to_storage(self) -> dict[str, str | float | int]:
        return {'uid': self.uid, 'email': self.email, 'expires_at': self.expires_at, 'user_id': self.user_id,
                'session_version': self.session_version}

    @classmethod
    def from_storage(cls, data: dict[str, object]) -> Identity | None:
        uid, email, expires_at = data.get('uid'), data.get('email'), data.get('expires_at')
        user_id, version = data.get('user_id'), data.get('session_version')
        if (isinstance(uid, str) and isinstance(email, str) and isinstance(expires_at, int | float)
                and isinstance(user_id, int) and isinstance(version, int)):
            return cls(uid, email, float(expires_at), user_id, version)
        return None  # also a sign-in stored before sessions carried their account's id: it logs in again


@dataclass(frozen=True, slots=True)
class SignIn:
    """A successful login: the identity, and the tokens that prove it (kept on the server, never in a page)."""

    identity: Identity
    id_token: str | None = field(default=None, repr=False)
    refresh_token: str | None = field(default=None, repr=False)


class Accounts(Protocol):
    """Blocking calls: the web pages run them with `run.io_bound`."""

    password_reset_available: bool

    def register(self, email: str, password: str, *, client: str) -> None:
        """Create the account unless the email has one; says nothing either way (see REGISTERED)."""
        ...

    def login(self, email: str, password: str, *, client: str) -> SignIn: ...

    def send_password_reset(self, email: str) -> None: ...

    def check_session(self, identity: Identity) -> None:
        """Raise InvalidToken unless the account still exists and the session is of its current version. Cheap: one
        read by primary key, so it runs on every page load and every action a page takes for the account."""
        ...

    def renew(self, sign_in: SignIn) -> SignIn:
        """Check the sign-in still holds (not revoked, account not deleted), refreshing it before it expires."""
        ...

    def verify_token(self, token: str) -> Identity:
        """Who a bearer token belongs to; raises InvalidToken."""
        ...

    def end_sessions(self, identity: Identity, *, client: str) -> None:
        """Log the account out everywhere: every page and every token signed in so far stops working."""
        ...

    def delete_account(self, identity: Identity, *, client: str) -> None:
        """The account and everything it owns: analyses, their share links, API keys, feedback it gave. Its
        sessions end with it."""
        ...


def check_session(database: Database, identity: Identity) -> None:
    with database.read() as session:
        row = session.execute(
            select(User.firebase_uid, User.session_version).where(User.id == identity.user_id)
        ).first()
    if row is None or (row.firebase_uid or str(identity.user_id)) != identity.uid:
        raise InvalidToken('This account no longer exists.')
    if row.session_version != identity.session_version:
        raise InvalidToken(SESSION_OVER)


def end_sessions(database: Database, user_id: int) -> None:
    with database.write() as session:
        session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def delete_user_data(database: Database, user_id: int) -> None:
    # Analyses (and their share links) and API keys go with the user row (ON DELETE CASCADE); votes are by name.
    with database.write() as session:
        session.execute(delete(Feedback).where(Feedback.voter == Caller(user_id=user_id).key))
        session.execute(delete(User).where(User.id == user_id))


def normalize_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition('@')
    if not local or '.' not in domain or any(c.isspace() for c in email) or len(email) > MAX_EMAIL_LENGTH:
        raise AccountError('Enter a valid email address.')
    return email


def check_password(password: str, min_length: int, email: str) -> None:
    if len(password) < min_length:
        raise AccountError(f'Choose a password of at least {min_length} characters.')
    folded = password.strip().lower()
    if folded in COMMON_PASSWORDS or folded in (email, email.partition('@')[0]):
        raise AccountError(COMMON_PASSWORD)
