"""Firebase accounts: pyrebase4 signs people in; firebase-admin verifies every ID token before it counts."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import time
import types
import uuid
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import firebase_admin
import pyrebase
import pyrebase.pyrebase
import requests
from firebase_admin import auth, credentials
from firebase_admin import exceptions as firebase_errors
from limits.storage import Storage
from requests.adapters import HTTPAdapter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.accounts import interface as accounts
from services.accounts.api_keys import KEY_PREFIX
from services.accounts.audit import audit
from services.accounts.interface import (
    UNAVAILABLE,
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
                 emulator_host: str | None, throttle: LoginThrottle, min_password_length: int,
                 timeout_seconds: float, clock_skew_seconds: int) -> None:
        self._database = database
        logging.getLogger('urllib3.connectionpool').addFilter(_HIDE_API_KEY)
        self._auth = PyrebaseAuth(api_key, project_id, emulator_host=emulator_host, timeout_seconds=timeout_seconds)
        # A named app of our own, so several configurations (tests, other projects) can live in one process.
        self._admin = firebase_admin.initialize_app(
            _credential(service_account), {'projectId': project_id, 'httpTimeout': timeout_seconds},
            name=f'logsentry-{uuid.uuid4().hex}',
        )
        self._throttle = throttle
        self._min_password_length = min_password_length
        self._clock_skew_seconds = clock_skew_seconds

    @classmethod
    def from_settings(cls, settings: Settings, database: Database, *, counters: Storage) -> FirebaseAccounts:
        if not (settings.firebase_api_key and settings.firebase_project_id):
            raise ValueError('Firebase accounts need FIREBASE_API_KEY and FIREBASE_PROJECT_ID')
        service_account = settings.firebase_credentials.get_secret_value() if settings.firebase_credentials else None
        return cls(database, api_key=settings.firebase_api_key.get_secret_value(),
                   project_id=settings.firebase_project_id, service_account=service_account,
                   emulator_host=settings.firebase_auth_emulator_host,
                   throttle=LoginThrottle.from_settings(settings, counters),
                   min_password_length=settings.password_min_length,
                   timeout_seconds=settings.firebase_timeout_seconds,
                   clock_skew_seconds=settings.firebase_clock_skew_seconds)

    def register(self, email: str, password: str, *, client: str) -> None:
        email = normalize_email(email)
        check_password(password, self._min_password_length, email)
        try:
            answer = self._auth.create_user_with_email_and_password(email, password)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code == 'EMAIL_EXISTS':
                audit('registration_email_taken', email=email_key(email), client=client)
                return
            if code == 'INVALID_EMAIL':
                raise AccountError('Enter a valid email address.') from None
            if code.startswith('WEAK_PASSWORD'):
                raise AccountError('Choose a longer, less common password.') from None
            raise _unavailable('registration', code) from None
        except requests.RequestException as exc:
            raise _unavailable('registration', type(exc).__name__) from None
        identity = self.verify_token(answer['idToken'])
        audit('registration', user_id=identity.user_id, client=client)

    def login(self, email: str, password: str, *, client: str) -> SignIn:
        email = email.strip().lower()  # a malformed address is just another wrong email
        try:
            self._throttle.check(email, client)
        except AccountError:
            audit('sign_in_throttled', email=email_key(email), client=client)
            raise
        try:
            answer = self._auth.sign_in_with_email_and_password(email, password)
        except requests.HTTPError as exc:
            code = _error_code(exc)
            if code in WRONG_CREDENTIALS or code == 'INVALID_EMAIL':
                self._throttle.failed(email, client)
                audit('sign_in_failed', email=email_key(email), client=client)
                raise InvalidCredentials() from None
            if code.startswith('TOO_MANY_ATTEMPTS'):
                raise AccountError('Too many failed attempts. Try again later.') from None
            raise _unavailable('login', code) from None
        except requests.RequestException as exc:
            raise _unavailable('login', type(exc).__name__) from None
        self._throttle.succeeded(email, client)
        # Counted as signed in only once firebase-admin has verified the token pyrebase returned.
        id_token, refresh_token = answer['idToken'], answer['refreshToken']
        identity = self.verify_token(id_token)
        audit('sign_in', user_id=identity.user_id, client=client)
        return SignIn(identity, id_token=id_token, refresh_token=refresh_token)

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

    def check_session(self, identity: Identity) -> None:
        accounts.check_session(self._database, identity)

    def renew(self, sign_in: SignIn) -> SignIn:
        if sign_in.id_token is None or sign_in.refresh_token is None:
            raise InvalidToken('This sign-in has no tokens.')
        self.check_session(sign_in.identity)
        if sign_in.identity.expires_at - time.time() > REFRESH_MARGIN_SECONDS:
            self._claims(sign_in.id_token)
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
        claims = self._claims(answer['idToken'])
        if claims['uid'] != sign_in.identity.uid:
            raise InvalidToken('Your sign-in is no longer valid. Please log in again.')
        # The session keeps the version it began under: a refresh never revives a session that was ended.
        identity = dataclasses.replace(sign_in.identity, expires_at=float(claims['exp']))
        return SignIn(identity, id_token=answer['idToken'], refresh_token=answer['refreshToken'])

    def verify_token(self, token: str) -> Identity:
        claims = self._claims(token)
        email = claims.get('email', '')
        user_id, version = self._account_row(claims['uid'], email)
        return Identity(claims['uid'], email, float(claims['exp']), user_id, version)

    def authenticate(self, token: str) -> int | None:
        """The API's view: a Firebase ID token proves a user, or None so the API answers 401."""
        if token.startswith(KEY_PREFIX):
            return None
        try:
            identity = self.verify_token(token)
        except AccountError:
            return None
        return identity.user_id

    def end_sessions(self, identity: Identity, *, client: str) -> None:
        self.check_session(identity)
        try:  # ends the ID tokens given to API clients too
            auth.revoke_refresh_tokens(identity.uid, app=self._admin)
        except auth.UserNotFoundError:
            pass
        except firebase_errors.FirebaseError as exc:
            raise _unavailable('ending sessions', type(exc).__name__) from None
        accounts.end_sessions(self._database, identity.user_id)
        audit('sessions_ended', user_id=identity.user_id, client=client)

    def delete_account(self, identity: Identity, *, client: str) -> None:
        self.check_session(identity)  # a stale page cannot delete the account it was logged out of
        try:
            auth.delete_user(identity.uid, app=self._admin)
        except auth.UserNotFoundError:
            pass
        except firebase_errors.FirebaseError as exc:
            raise _unavailable('account deletion', type(exc).__name__) from None
        delete_user_data(self._database, identity.user_id)
        audit('account_deleted', user_id=identity.user_id, client=client)

    def _claims(self, token: str) -> dict[str, Any]:
        skew = self._clock_skew_seconds
        try:
            claims = dict(auth.verify_id_token(token, app=self._admin, check_revoked=True, clock_skew_seconds=skew))
        except (auth.InvalidIdTokenError, auth.UserDisabledError, auth.UserNotFoundError, ValueError) as exc:
            raise InvalidToken('Your sign-in is no longer valid. Please log in again.') from exc
        except firebase_errors.FirebaseError as exc:
            raise _unavailable('token verification', type(exc).__name__) from None
        # firebase-admin checks a token's times against production Firebase only (with an emulator it checks none):
        # the same rule again, so a token is judged alike wherever it comes from.
        now = time.time()
        if not (float(claims['iat']) - skew <= now < float(claims['exp']) + skew):
            raise InvalidToken('Your sign-in is no longer valid. Please log in again.')
        return claims

    def _account_row(self, uid: str, email: str) -> tuple[int, int]:
        """The person's row in the users table, made on first use: its id and session version."""
        for _ in range(2):  # a second look when another request created the row at the same moment
            try:
                with self._database.write() as session:
                    user = session.scalars(select(User).where(User.firebase_uid == uid)).first()
                    if user is None:
                        if session.scalar(select(User.id).where(User.email == email)) is not None:
                            raise AccountError(LINK_CONFLICT)
                        user = User(email=email, firebase_uid=uid)
                        session.add(user)
                        session.flush()
                    return user.id, user.session_version
            except IntegrityError:
                continue
        raise AccountError(LINK_CONFLICT)


class PyrebaseAuth:
    """pyrebase4's `Auth`, with every HTTP call going through this instance's session: a timeout, and an emulator.

    pyrebase4 hands its `Auth` a session but its methods never use it: each calls the module-level `requests.post`,
    with hard-coded Google URLs and no timeout. So each method runs here with a copy of pyrebase's module globals
    in which `requests` is the session of this instance; pyrebase's module stays as it is, and instances with
    different settings live side by side. Each call gets its own `Auth`: pyrebase keeps the last answer (a user's
    ID and refresh tokens) on the `Auth` it was called on, and one shared object would hold the tokens of whoever
    signed in last for as long as the server runs.
    """

    def __init__(self, api_key: str, project_id: str, *, emulator_host: str | None, timeout_seconds: float) -> None:
        config = {'apiKey': api_key, 'authDomain': f'{project_id}.firebaseapp.com', 'databaseURL': None,
                  'storageBucket': None}
        app = pyrebase.initialize_app(config)
        session: requests.Session = app.requests
        adapter = _TimeoutAdapter(timeout_seconds)
        for scheme in ('http://', 'https://'):
            session.mount(scheme, adapter)
        if emulator_host:
            emulator = _EmulatorAdapter(timeout_seconds, emulator_host)
            for host in GOOGLE_AUTH_HOSTS:
                session.mount(f'https://{host}/', emulator)
        self._app = app
        self._module_globals = {**vars(pyrebase.pyrebase), 'requests': session}

    def create_user_with_email_and_password(self, email: str, password: str) -> dict[str, Any]:
        return self._call('create_user_with_email_and_password', email, password)

    def sign_in_with_email_and_password(self, email: str, password: str) -> dict[str, Any]:
        return self._call('sign_in_with_email_and_password', email, password)

    def send_password_reset_email(self, email: str) -> dict[str, Any]:
        return self._call('send_password_reset_email', email)

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        return self._call('refresh', refresh_token)

    def _call(self, name: str, *args: str) -> dict[str, Any]:
        method = getattr(pyrebase.pyrebase.Auth, name)
        with_our_session = types.FunctionType(method.__code__, self._module_globals, name, method.__defaults__,
                                              method.__closure__)
        return dict(with_our_session(self._app.auth(), *args))


class _TimeoutAdapter(HTTPAdapter):
    def __init__(self, timeout_seconds: float) -> None:
        super().__init__()
        self._timeout = timeout_seconds

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if kwargs.get('timeout') is None:
            kwargs['timeout'] = self._timeout
        return super().send(request, **kwargs)


class _EmulatorAdapter(_TimeoutAdapter):
    """Sends `https://<google host>/...` to the emulator, which serves those paths at `http://<emulator>/<host>/...`."""

    def __init__(self, timeout_seconds: float, emulator_host: str) -> None:
        super().__init__(timeout_seconds)
        self._emulator_host = emulator_host

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(request.url or '')
        request.url = urlunsplit(('http', self._emulator_host, f'/{url.hostname}{url.path}', url.query, ''))
        return super().send(request, **kwargs)


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
