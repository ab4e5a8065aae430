"""Firebase accounts: pyrebase4 signs people in; firebase-admin verifies every ID token before it counts."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import firebase_admin
import pyrebase
import pyrebase.pyrebase
import requests
from firebase_admin import auth, credentials
from firebase_admin import exceptions as firebase_errors
from requests.adapters import HTTPAdapter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.accounts import (
    EMAIL_TAKEN,
    UNAVAILABLE,
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
from services.api_keys import KEY_PREFIX
from services.auth import Principal
from services.config import Settings
from services.db import Database
from services.models import User

log = logging.getLogger(__name__)
# What Firebase answers for a wrong email or password; the person hears the same thing for each.
WRONG_CREDENTIALS = frozenset({'INVALID_PASSWORD', 'EMAIL_NOT_FOUND', 'INVALID_LOGIN_CREDENTIALS', 'USER_DISABLED'})
# Refresh tokens that stopped working: the person has to log in again.
DEAD_REFRESH = frozenset({'TOKEN_EXPIRED', 'USER_DISABLED', 'USER_NOT_FOUND', 'INVALID_REFRESH_TOKEN',
                          'INVALID_GRANT_TYPE', 'MISSING_REFRESH_TOKEN', 'INVALID_ID_TOKEN'})
GOOGLE_AUTH_HOSTS = ('www.googleapis.com', 'securetoken.googleapis.com', 'identitytoolkit.googleapis.com')
REFRESH_MARGIN_SECONDS = 300
LINK_CONFLICT = 'This email belongs to another account here. Ask the operator of this site to help.'
API_KEY_IN_URL = re.compile(r'([?&]key=)[^&\s"]+')


class AccountsUnavailable(AccountError):
    def __init__(self) -> None:
        super().__init__(UNAVAILABLE)


class FirebaseAccounts:
    password_reset_available = True

    def __init__(self, database: Database, *, api_key: str, project_id: str, service_account: str | None,
                 emulator_host: str | None, throttle: LoginThrottle, min_password_length: int) -> None:
        self._database = database
        logging.getLogger('urllib3.connectionpool').addFilter(_HIDE_API_KEY)
        if emulator_host:
            # firebase-admin reads the emulator address from the environment only.
            os.environ['FIREBASE_AUTH_EMULATOR_HOST'] = emulator_host
            route_pyrebase_to_emulator(emulator_host)
        config = {'apiKey': api_key, 'authDomain': f'{project_id}.firebaseapp.com', 'databaseURL': None,
                  'storageBucket': None}
        self._auth = pyrebase.initialize_app(config).auth()
        # A named app of our own, so several configurations (tests, other projects) can live in one process.
        self._admin = firebase_admin.initialize_app(
            _credential(service_account), {'projectId': project_id}, name=f'logsentry-{uuid.uuid4().hex}'
        )
        self._throttle = throttle
        self._min_password_length = min_password_length

    @classmethod
    def from_settings(cls, settings: Settings, database: Database) -> FirebaseAccounts:
        if not (settings.firebase_api_key and settings.firebase_project_id):
            raise ValueError('Firebase accounts need FIREBASE_API_KEY and FIREBASE_PROJECT_ID')
        service_account = settings.firebase_credentials.get_secret_value() if settings.firebase_credentials else None
        return cls(database, api_key=settings.firebase_api_key.get_secret_value(),
                   project_id=settings.firebase_project_id, service_account=service_account,
                   emulator_host=settings.firebase_auth_emulator_host, throttle=LoginThrottle.from_settings(settings),
                   min_password_length=settings.password_min_length)

    def register(self, email: str, password: str, *, client: str) -> SignIn:
        email = normalize_email(email)
        check_password(password, self._min_password_length)
        try:
            answer = self._auth.create_user_with_email_and_password(email, password)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code == 'EMAIL_EXISTS':
                raise AccountError(EMAIL_TAKEN) from None
            if code == 'INVALID_EMAIL':
                raise AccountError('Enter a valid email address.') from None
            if code.startswith('WEAK_PASSWORD'):
                raise AccountError('Choose a longer, less common password.') from None
            raise _unavailable('registration', code) from None
        except requests.RequestException as exc:
            raise _unavailable('registration', type(exc).__name__) from None
        log.info('registered a Firebase account from %s', client)
        return self._signed_in(answer)

    def login(self, email: str, password: str, *, client: str) -> SignIn:
        email = email.strip().lower()  # a malformed address is just another wrong email
        self._throttle.check(email, client)
        try:
            answer = self._auth.sign_in_with_email_and_password(email, password)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code in WRONG_CREDENTIALS or code == 'INVALID_EMAIL':
                self._throttle.failed(email, client)
                log.info('failed login from %s', client)
                raise InvalidCredentials() from None
            if code.startswith('TOO_MANY_ATTEMPTS'):
                raise AccountError('Too many failed attempts. Try again later.') from None
            raise _unavailable('login', code) from None
        except requests.RequestException as exc:
            raise _unavailable('login', type(exc).__name__) from None
        self._throttle.succeeded(email)
        return self._signed_in(answer)

    def send_password_reset(self, email: str) -> None:
        email = normalize_email(email)
        try:
            self._auth.send_password_reset_email(email)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code != 'EMAIL_NOT_FOUND':  # said the same way as a sent link: no telling who has an account
                raise _unavailable('password reset', code) from None
        except requests.RequestException as exc:
            raise _unavailable('password reset', type(exc).__name__) from None

    def renew(self, sign_in: SignIn) -> SignIn:
        if sign_in.id_token is None or sign_in.refresh_token is None:
            raise InvalidToken('This sign-in has no tokens.')
        if sign_in.identity.expires_at - time.time() > REFRESH_MARGIN_SECONDS:
            self.verify_token(sign_in.id_token)
            return sign_in
        try:
            answer = self._auth.refresh(sign_in.refresh_token)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code in DEAD_REFRESH:
                raise InvalidToken('Your sign-in has expired. Please log in again.') from None
            raise _unavailable('token refresh', code) from None
        except requests.RequestException as exc:
            raise _unavailable('token refresh', type(exc).__name__) from None
        return self._signed_in(answer)

    def verify_token(self, token: str) -> Identity:
        try:
            claims = auth.verify_id_token(token, app=self._admin, check_revoked=True)
        except (auth.InvalidIdTokenError, auth.UserDisabledError, auth.UserNotFoundError, ValueError) as exc:
            raise InvalidToken('Your sign-in is no longer valid. Please log in again.') from exc
        except firebase_errors.FirebaseError as exc:
            raise _unavailable('token verification', type(exc).__name__) from None
        return Identity(uid=claims['uid'], email=claims.get('email', ''), expires_at=float(claims['exp']))

    def authenticate(self, token: str) -> Principal | None:
        """The API's view: a Firebase ID token proves a user, or None so the API answers 401."""
        if token.startswith(KEY_PREFIX):
            return None
        try:
            identity = self.verify_token(token)
            return Principal(self.user_id(identity), identity.email)
        except AccountError:
            return None

    def user_id(self, identity: Identity) -> int:
        for _ in range(2):  # a second look when another request created the row at the same moment
            try:
                with self._database.write() as session:
                    user = session.scalars(select(User).where(User.firebase_uid == identity.uid)).first()
                    if user is None:
                        if session.scalar(select(User.id).where(User.email == identity.email)) is not None:
                            raise AccountError(LINK_CONFLICT)
                        user = User(email=identity.email, firebase_uid=identity.uid)
                        session.add(user)
                        session.flush()
                    return user.id
            except IntegrityError:
                continue
        raise AccountError(LINK_CONFLICT)

    def delete_account(self, identity: Identity) -> None:
        try:
            auth.delete_user(identity.uid, app=self._admin)
        except auth.UserNotFoundError:
            pass
        except firebase_errors.FirebaseError as exc:
            raise _unavailable('account deletion', type(exc).__name__) from None
        with self._database.read() as session:
            user_id = session.scalar(select(User.id).where(User.firebase_uid == identity.uid))
        if user_id is not None:
            delete_user_data(self._database, user_id)

    def _signed_in(self, answer: dict[str, Any]) -> SignIn:
        """Count the person as signed in only once firebase-admin has verified the token pyrebase returned."""
        id_token, refresh_token = answer['idToken'], answer['refreshToken']
        return SignIn(self.verify_token(id_token), id_token=id_token, refresh_token=refresh_token)


def route_pyrebase_to_emulator(emulator_host: str) -> None:
    """Send pyrebase's calls to a Firebase Auth Emulator.

    pyrebase4 calls the module-level `requests.post` with hard-coded Google URLs, so its `requests` name is
    pointed at a stand-in whose `post` goes through a session that rewrites `https://<google host>/...` to
    the emulator's `http://<emulator>/<google host>/...`; everything else is the real `requests` module.
    """
    session = requests.Session()
    adapter = _EmulatorAdapter(emulator_host)
    for host in GOOGLE_AUTH_HOSTS:
        session.mount(f'https://{host}/', adapter)
    pyrebase.pyrebase.requests = _RoutedRequests(session)


class _EmulatorAdapter(HTTPAdapter):
    def __init__(self, emulator_host: str) -> None:
        super().__init__()
        self._emulator_host = emulator_host

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or '')
        request.url = urlunsplit(('http', self._emulator_host, f'/{url.hostname}{url.path}', url.query, ''))
        return super().send(request, **kwargs)


class _RoutedRequests:
    def __init__(self, session: requests.Session) -> None:
        self.post = session.post

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)


class _HideApiKey(logging.Filter):
    """urllib3 logs request URLs at debug level, and Google's carry the web API key in `?key=`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if 'key=' in message:
            record.msg, record.args = API_KEY_IN_URL.sub(r'\1<hidden>', message), ()
        return True


_HIDE_API_KEY = _HideApiKey()


def _credential(service_account: str | None) -> credentials.Base | None:
    """A service account from its JSON or a file path; None lets firebase-admin use the emulator or the host's."""
    if not service_account:
        return None
    try:
        if service_account.lstrip().startswith('{'):
            return credentials.Certificate(json.loads(service_account))
        return credentials.Certificate(service_account)
    except (OSError, ValueError) as exc:
        # The message names the problem, never the content.
        raise ValueError(f'FIREBASE_CREDENTIALS is not a usable service account ({type(exc).__name__})') from None


def _error_code(exc: requests.HTTPError) -> str:
    """Firebase's error code from pyrebase's HTTPError, whose second argument is the response body."""
    try:
        body = json.loads(exc.args[1])
        return str(body['error']['message']).split(' ')[0]
    except (IndexError, TypeError, ValueError, KeyError):
        return 'UNKNOWN'


def _unavailable(what: str, reason: str) -> AccountsUnavailable:
    # The reason is an error code or exception class name: never a URL (it carries the API key) or a body.
    log.warning('Firebase %s failed: %s', what, reason)
    return AccountsUnavailable()
