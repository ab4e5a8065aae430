"""Who is logged in on this browser, kept honest on every page load; logging in and out renews the browser id.

`app.storage.user` holds only the identity (uid, email, expiry, account id and session version); every page load
and every action a page takes for the account checks it against the database, so a session ends at once when its
account is deleted or logged out everywhere. The tokens behind it stay in this process.
NiceGUI issues the browser id in its signed session cookie, and a page can no longer change that cookie once
it is built, so logging in or out ends with a visit to `/session/start` or `/session/end`: a plain HTTP
request that swaps the browser id for a new one (no session fixation) and redirects onwards.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from nicegui import app, context, run, ui
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts.audit import audit
from services.accounts.interface import AccountError, Accounts, Identity, InvalidToken, SignIn
from services.config import Settings
from services.container import Services
from services.store.database import DatabaseUnavailable
from services.store.quota import client_address, parse_trusted_proxies
from services.store.saved_analyses import claim_guest_analyses

ACCOUNT_KEY = 'account'
PROTECTED_PATHS = ('/account',)
UNCHECKED_PREFIXES = ('/_nicegui', '/api/', '/session/', '/healthz', '/docs', '/openapi.json', '/favicon')
HANDOFF_SECONDS = 60
RECHECK_SECONDS = 60  # how often a page load re-verifies a Firebase token (revocation); the database is every time


def current_identity() -> Identity | None:
    """The person logged in on this browser, or None (guests, and sign-ins that have expired)."""
    identity = Identity.from_storage(app.storage.user.get(ACCOUNT_KEY) or {})
    return identity if identity and identity.expires_at > time.time() else None


async def verified_identity(services: Services) -> Identity | None:
    """The person logged in on this browser, checked against the database now (the account still exists and the
    session was not ended). For page events: a page opened before its sign-in ended acts for nobody."""
    identity = current_identity()
    if identity is None:
        return None
    try:
        await run.io_bound(services.accounts.check_session, identity)
    except InvalidToken:
        _forget_sign_in(_page_browser_id())
        return None
    return identity


def login_url(redirect_to: str) -> str:
    return f'/login?{urlencode({"redirect_to": redirect_to})}'


def safe_redirect(target: str | None) -> str:
    """Only a path on this site: `//host` and `https://host` would send the person elsewhere."""
    if not target or not target.startswith('/') or target.startswith('//') or '\\' in target:
        return '/'
    return target


@dataclass
class _Handoff:
    browser_id: str
    sign_in: SignIn | None
    redirect_to: str
    created: float = field(default_factory=time.monotonic)


class SignIns:
    """Per-process sign-in state: tokens per browser id, and one-time handoffs to the routes that renew it."""

    def __init__(self) -> None:
        self._by_browser: dict[str, tuple[SignIn, float]] = {}
        self._handoffs: dict[str, _Handoff] = {}
        self._pending: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def hand_off(self, browser_id: str, sign_in: SignIn | None, redirect_to: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.monotonic()
            self._handoffs = {k: h for k, h in self._handoffs.items() if now - h.created < HANDOFF_SECONDS}
            self._handoffs[token] = _Handoff(browser_id, sign_in, redirect_to)
        return token

    def claim(self, token: str, browser_id: str) -> _Handoff | None:
        """The handoff, once, and only for the browser that asked for it (no logging in someone else's browser)."""
        with self._lock:
            handoff = self._handoffs.pop(token, None)
        if handoff is None or handoff.browser_id != browser_id or time.monotonic() - handoff.created > HANDOFF_SECONDS:
            return None
        return handoff

    def move(self, old_id: str, new_id: str, sign_in: SignIn | None, storage: dict[str, Any]) -> None:
        with self._lock:
            self._by_browser.pop(old_id, None)
            if sign_in is not None:
                self._by_browser[new_id] = (sign_in, time.monotonic())
            self._pending[new_id] = storage

    def take_pending(self, browser_id: str) -> dict[str, Any] | None:
        with self._lock:
            return self._pending.pop(browser_id, None)

    def get(self, browser_id: str) -> tuple[SignIn, float] | None:
        with self._lock:
            return self._by_browser.get(browser_id)

    def keep(self, browser_id: str, sign_in: SignIn) -> None:
        with self._lock:
            self._by_browser[browser_id] = (sign_in, time.monotonic())

    def forget(self, browser_id: str) -> None:
        with self._lock:
            self._by_browser.pop(browser_id, None)


SIGN_INS = SignIns()


def install(services: Services) -> None:
    """The middleware that checks sign-ins and guards protected pages, and the routes that renew the browser id."""
    accounts, database, sign_ins = services.accounts, services.database, SIGN_INS

    class SignInMiddleware(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
            path = request.url.path
            if path.startswith(UNCHECKED_PREFIXES):
                return await call_next(request)
            browser_id = request.session['id']
            if (pending := sign_ins.take_pending(browser_id)) is not None:
                app.storage.user.update(pending)
            if current_identity() is not None:
                await _recheck(accounts, sign_ins, browser_id)
            if current_identity() is None:
                app.storage.user.pop(ACCOUNT_KEY, None)
                if any(path == protected or path.startswith(f'{protected}/') for protected in PROTECTED_PATHS):
                    return RedirectResponse(login_url(path), status_code=303)
            return await call_next(request)

    app.add_middleware(SignInMiddleware)

    @app.get('/session/start', include_in_schema=False)
    async def start(request: Request, token: str = '') -> RedirectResponse:
        handoff = sign_ins.claim(token, request.session['id'])
        if handoff is None or handoff.sign_in is None:
            return RedirectResponse('/login', status_code=303)
        identity = handoff.sign_in.identity
        old_id = _renew_browser_id(request, sign_ins, handoff.sign_in, identity.to_storage())
        # When the database is down, the guest's earlier analyses stay with the old browser id; logging in works.
        with contextlib.suppress(DatabaseUnavailable):
            await run.io_bound(claim_guest_analyses, database, guest_id=old_id, user_id=identity.user_id)
        return RedirectResponse(safe_redirect(handoff.redirect_to), status_code=303)

    @app.get('/session/end', include_in_schema=False)
    async def end(request: Request, token: str = '') -> RedirectResponse:
        handoff = sign_ins.claim(token, request.session['id'])
        if handoff is not None:
            if (identity := current_identity()) is not None:
                audit('logout', user_id=identity.user_id, client=request_address(request, services.settings))
            _renew_browser_id(request, sign_ins, None, None)
        return RedirectResponse(safe_redirect(handoff.redirect_to if handoff else '/'), status_code=303)


def finish_login(sign_in: SignIn, redirect_to: str | None) -> None:
    """From a page event: hand the verified sign-in to /session/start, which renews the browser id."""
    token = SIGN_INS.hand_off(_page_browser_id(), sign_in, safe_redirect(redirect_to))
    ui.navigate.to(f'/session/start?{urlencode({"token": token})}')


def log_out(redirect_to: str = '/') -> None:
    token = SIGN_INS.hand_off(_page_browser_id(), None, redirect_to)
    ui.navigate.to(f'/session/end?{urlencode({"token": token})}')


def _page_browser_id() -> str:
    # The id this page was served to, which is the one its handoff must come back with.
    request = context.client.request
    assert request is not None
    return str(request.session['id'])


def client_of_page(services: Services) -> str:
    """The client address of the current page, trusting X-Forwarded-For only from configured proxies."""
    return request_address(context.client.request, services.settings)


def request_address(request: Request, settings: Settings) -> str:
    """The client address of a request, trusting X-Forwarded-For only from configured proxies."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get('x-forwarded-for'), parse_trusted_proxies(settings.trusted_proxies))


def _renew_browser_id(request: Request, sign_ins: SignIns, sign_in: SignIn | None,
                      identity: dict[str, Any] | None) -> str:
    """Give the browser a new id; its storage moves along except the old identity."""
    old_id = str(request.session['id'])
    kept = {key: value for key, value in app.storage.user.items() if key != ACCOUNT_KEY}
    if identity is not None:
        kept[ACCOUNT_KEY] = identity
    app.storage.user.clear()
    new_id = str(uuid.uuid4())
    sign_ins.move(old_id, new_id, sign_in, kept)
    request.session['id'] = new_id  # the session middleware sends the browser a newly signed cookie
    return old_id


async def _recheck(accounts: Accounts, sign_ins: SignIns, browser_id: str) -> None:
    """On every page load: the database check each time, the token check (Firebase revocation) once a minute."""
    identity = current_identity()
    assert identity is not None
    held = sign_ins.get(browser_id)
    try:
        if held and time.monotonic() - held[1] < RECHECK_SECONDS:
            await run.io_bound(accounts.check_session, identity)
            return
        renewed = await run.io_bound(accounts.renew, held[0] if held else SignIn(identity))
    except InvalidToken:
        _forget_sign_in(browser_id)
        return
    except (AccountError, DatabaseUnavailable):
        return  # cannot check right now: the verified identity holds until it expires
    if renewed is None:  # the server is shutting down
        return
    sign_ins.keep(browser_id, renewed)
    app.storage.user[ACCOUNT_KEY] = renewed.identity.to_storage()


def _forget_sign_in(browser_id: str) -> None:
    SIGN_INS.forget(browser_id)
    app.storage.user.pop(ACCOUNT_KEY, None)


def account_menu() -> None:
    """The header's account corner: log in and register for guests, a menu for the person logged in."""
    identity = current_identity()
    if identity is None:
        ui.link('Log in', '/login').classes('text-white no-underline px-3 py-1 rounded hover:bg-white/10')
        ui.button('Register', on_click=lambda: ui.navigate.to('/register')) \
            .props('unelevated dense no-caps color=white text-color=primary').classes('px-3')
        return
    with ui.button(icon='account_circle').props('flat round color=white aria-label="Account menu"'), ui.menu():
        ui.menu_item(identity.email).props('disable')
        ui.menu_item('Account', on_click=lambda: ui.navigate.to('/account')).mark('account-page')
        ui.menu_item('Log out', on_click=lambda: log_out()).mark('log-out')
