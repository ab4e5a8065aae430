"""Local accounts, the embedded default: email and an Argon2 password hash in LogSentry's own database."""

from __future__ import annotations

import logging
import time

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.accounts import (
    EMAIL_TAKEN,
    RESET_UNAVAILABLE,
    AccountError,
    Identity,
    InvalidCredentials,
    InvalidToken,
    LoginThrottle,
    SignIn,
    check_password,
    delete_user_data,
    normalize_email,
)
from services.config import Settings
from services.db import Database
from services.models import User

log = logging.getLogger(__name__)


class LocalAccounts:
    password_reset_available = False

    @classmethod
    def from_settings(cls, settings: Settings, database: Database) -> LocalAccounts:
        return cls(database, throttle=LoginThrottle.from_settings(settings),
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

    def register(self, email: str, password: str, *, client: str) -> SignIn:
        email = normalize_email(email)
        check_password(password, self._min_password_length)
        user = User(email=email, password_hash=self._hasher.hash(password))
        try:
            with self._database.write() as session:
                if session.scalar(select(User.id).where(User.email == email)) is not None:
                    raise AccountError(EMAIL_TAKEN)
                session.add(user)
        except IntegrityError:  # registered at the same moment by another request
            raise AccountError(EMAIL_TAKEN) from None
        log.info('registered a local account from %s', client)
        return self._signed_in(user)

    def login(self, email: str, password: str, *, client: str) -> SignIn:
        email = email.strip().lower()
        self._throttle.check(email, client)
        with self._database.read() as session:
            user = session.scalars(select(User).where(User.email == email)).first()
        stored = user.password_hash if user else None
        if not self._verify(stored or self._decoy_hash, password) or stored is None:
            self._throttle.failed(email, client)
            log.info('failed login from %s', client)
            raise InvalidCredentials()
        assert user is not None
        if self._hasher.check_needs_rehash(stored):
            with self._database.write() as session:
                session.get_one(User, user.id).password_hash = self._hasher.hash(password)
        self._throttle.succeeded(email)
        return self._signed_in(user)

    def send_password_reset(self, email: str) -> None:
        raise AccountError(RESET_UNAVAILABLE)

    def renew(self, sign_in: SignIn) -> SignIn:
        identity = sign_in.identity
        if identity.expires_at < time.time():
            raise InvalidToken('Your sign-in has expired. Please log in again.')
        with self._database.read() as session:
            user = session.get(User, self.user_id(identity))
        if user is None or user.email != identity.email:
            raise InvalidToken('This account no longer exists.')
        return sign_in

    def verify_token(self, token: str) -> Identity:
        raise InvalidToken('Local accounts use personal API keys, not ID tokens.')

    def user_id(self, identity: Identity) -> int:
        try:
            return int(identity.uid)
        except ValueError:
            raise InvalidToken('Not a local account.') from None

    def delete_account(self, identity: Identity) -> None:
        delete_user_data(self._database, self.user_id(identity))

    def _verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _signed_in(self, user: User) -> SignIn:
        return SignIn(Identity(str(user.id), user.email, time.time() + self._session_seconds))
