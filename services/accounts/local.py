"""Local accounts, the embedded default: email and an Argon2 password hash in LogSentry's own database."""

from __future__ import annotations

import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from limits.storage import Storage
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.accounts import interface as accounts
from services.accounts.audit import audit
from services.accounts.interface import (
    RESET_UNAVAILABLE,
    AccountError,
    Identity,
    InvalidCredentials,
    InvalidToken,
    SignIn,
    check_password,
    delete_user_data,
    normalize_email,
)
from services.accounts.throttle import LoginThrottle, email_key
from services.config import Settings
from services.store.database import Database
from services.store.tables import User


class LocalAccounts:
    password_reset_available = False

    @classmethod
    def from_settings(cls, settings: Settings, database: Database, *, counters: Storage) -> LocalAccounts:
        return cls(database, throttle=LoginThrottle.from_settings(settings, counters),
                   min_password_length=settings.password_min_length,
                   session_seconds=settings.local_session_hours * 3600)

    def __init__(self, database: Database, *, throttle: LoginThrottle, min_password_length: int,
                 session_seconds: float) -> None:
        self._database = database
        self._throttle = throttle
        self._min_password_length = min_password_length
        self._session_seconds = session_seconds
        self._hasher = PasswordHasher()
        # Verified against when the email is unknown, so a login takes as long whether the account exists or not.
        self._decoy_hash = self._hasher.hash('decoy password')

    def register(self, email: str, password: str, *, client: str) -> None:
        email = normalize_email(email)
        check_password(password, self._min_password_length, email)
        user = User(email=email, password_hash=self._hasher.hash(password))
        if self._add(user):
            audit('registration', user_id=user.id, client=client)
        else:
            audit('registration_email_taken', email=email_key(email), client=client)

    def login(self, email: str, password: str, *, client: str) -> SignIn:
        email = email.strip().lower()
        try:
            self._throttle.check(email, client)
        except AccountError:
            audit('sign_in_throttled', email=email_key(email), client=client)
            raise
        with self._database.read() as session:
            user = session.scalars(select(User).where(User.email == email)).first()
        stored = user.password_hash if user else None
        if not self._verify(stored or self._decoy_hash, password) or stored is None:
            self._throttle.failed(email, client)
            audit('sign_in_failed', user_id=user.id if user else None, email=email_key(email), client=client)
            raise InvalidCredentials()
        assert user is not None
        if self._hasher.check_needs_rehash(stored):
            with self._database.write() as session:
                session.get_one(User, user.id).password_hash = self._hasher.hash(password)
        self._throttle.succeeded(email, client)
        audit('sign_in', user_id=user.id, client=client)
        return SignIn(Identity(str(user.id), user.email, time.time() + self._session_seconds, user.id,
                               user.session_version))

    def send_password_reset(self, email: str) -> None:
        raise AccountError(RESET_UNAVAILABLE)

    def check_session(self, identity: Identity) -> None:
        accounts.check_session(self._database, identity)

    def renew(self, sign_in: SignIn) -> SignIn:
        if sign_in.identity.expires_at < time.time():
            raise InvalidToken('Your sign-in has expired. Please log in again.')
        self.check_session(sign_in.identity)
        return sign_in

    def verify_token(self, token: str) -> Identity:
        raise InvalidToken('Local accounts use personal API keys, not ID tokens.')

    def end_sessions(self, identity: Identity, *, client: str) -> None:
        self.check_session(identity)
        accounts.end_sessions(self._database, identity.user_id)
        audit('sessions_ended', user_id=identity.user_id, client=client)

    def delete_account(self, identity: Identity, *, client: str) -> None:
        self.check_session(identity)  # a stale page cannot delete the account it was logged out of
        delete_user_data(self._database, identity.user_id)
        audit('account_deleted', user_id=identity.user_id, client=client)

    def _add(self, user: User) -> bool:
        """Add the user unless the email has an account already."""
        try:
            with self._database.write() as session:
                if session.scalar(select(User.id).where(User.email == user.email)) is not None:
                    return False
                session.add(user)
        except IntegrityError:  # registered at the same moment by another request
            return False
        return True

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
