"""Who is logged in on this browser, kept honest on every page load; logging in and out renews the browser id.

`app.storage.user` holds only the identity (uid, email, expiry, account id and session version); every page load
and every action a page takes for the account checks it against the database, so a session ends at once when its
account is deleted or logged out everywhere. The tokens behind it stay on the server, in services.state: in this
process, or in Redis where every instance of the app shares them.
NiceGUI issues the browser id in its signed session cookie, and a page can no longer change that cookie once
it is built, so logging in or out ends with a visit to `/session/start` or `/session/end`: a plain HTTP
request that swaps the browser id for a new one (no session fixation) and redirects onwards.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any, cast
from urllib.parse import urlencode

from nicegui import app, context, run, ui
from nicegui.storage import Storage
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.accounts.audit import audit
from services.accounts.interface import AccountError, Accounts, Identity, InvalidToken, SignIn
from services.config import Settings
from services.container import Services
from services.redis_unavailable import RedisUnavailable
from services.state.sign_ins import SignIns
from services.store.database import DatabaseUnavailable
from services.store.quota import client_address
from services.store.saved_analyses import claim_guest_analyses
from ui.unavailable import log_unreachable

ACCOUNT_KEY = 'account'
PROTECTED_PATHS = ('/account',)
UNCHECKED_PREFIXES = ('/_nicegui', '/api/', '/session/', '/healthz', '/docs', '/openapi.json', '/favicon')
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
        await _forget_sign_in(services.sign_ins, _page_browser_id())
        return None
    return identity


def login_url(redirect_to: str) -> str:
    return f'/login?{urlencode({"redirect_to": redirect_to})}'


def safe_redirect(target: str | None) -> str:
    """Only a path on this site: `//host` and `https://host` would send the person elsewhere."""
    if not target or not target.startswith('/') or target.startswith('//') or '\\' in target:
        return '/'
    return target


def install(services: Services) -> None:
    """The middleware that checks sign-ins and guards protected pages, and the routes that renew the browser id."""
    accounts, database, sign_ins = services.accounts, services.database, services.sign_ins
    _share_browser_storage(services.settings)

    class SignInMiddleware(BaseHTTPMiddleware):
        async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
            path = request.url.path
            if path.startswith(UNCHECKED_PREFIXES):
                return await call_next(request)
            request.state.sign_ins = sign_ins  # for the account menu, which every page's frame builds without Services
            browser_id = request.session['id']
            if (pending := await run.io_bound(sign_ins.take_pending, browser_id)) is not None:
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
        handoff = await run.io_bound(sign_ins.claim, token, request.session['id'])
        if handoff is None or handoff.sign_in is None:
            return RedirectResponse('/login', status_code=303)
        identity = handoff.sign_in.identity
        old_id = await _renew_browser_id(request, sign_ins, handoff.sign_in, identity.to_storage())
        # When the database is down, the guest's earlier analyses stay with the old browser id; logging in works.
        with contextlib.suppress(DatabaseUnavailable):
            await run.io_bound(claim_guest_analyses, database, guest_id=old_id, user_id=identity.user_id)
        return RedirectResponse(safe_redirect(handoff.redirect_to), status_code=303)

    @app.get('/session/end', include_in_schema=False)
    async def end(request: Request, token: str = '') -> RedirectResponse:
        handoff = await run.io_bound(sign_ins.claim, token, request.session['id'])
        if handoff is not None:
            if (identity := current_identity()) is not None:
                audit('logout', user_id=identity.user_id, client=request_address(request))
            await _renew_browser_id(request, sign_ins, None, None)
        return RedirectResponse(safe_redirect(handoff.redirect_to if handoff else '/'), status_code=303)


def _share_browser_storage(settings: Settings) -> None:
    """Keep NiceGUI's per-browser storage in Redis when it is configured, so every instance of the app sees it.

    NiceGUI also reads NICEGUI_REDIS_URL when it is imported, but it opens a browser's storage only when that browser
    first asks: set before serving, its `Storage` class attributes choose Redis without touching the environment
    (NiceGUI's own test fixtures set `Storage.path` the same way). `app.storage.general`, opened at import, stays a
    file; nothing here uses it.
    """
    if settings.redis_url:
        Storage.redis_url = settings.redis_url
        Storage.redis_key_prefix = settings.redis_key_prefix


async def finish_login(sign_ins: SignIns, sign_in: SignIn, redirect_to: str | None) -> None:
    """From a page event: hand the verified sign-in to /session/start, which renews the browser id."""
    await _hand_off(sign_ins, sign_in, safe_redirect(redirect_to), '/session/start')


async def log_out(sign_ins: SignIns, redirect_to: str = '/') -> None:
    await _hand_off(sign_ins, None, redirect_to, '/session/end')


async def _hand_off(sign_ins: SignIns, sign_in: SignIn | None, redirect_to: str, route: str) -> None:
    try:
        token = await run.io_bound(sign_ins.hand_off, _page_browser_id(), sign_in, redirect_to)
    except RedisUnavailable as exc:  # the page stays as it is, and says why
        log_unreachable(exc)
        ui.notify(str(exc), type='negative')
        return
    ui.navigate.to(f'{route}?{urlencode({"token": token})}')


def _page_browser_id() -> str:
    # The id this page was served to, which is the one its handoff must come back with.
    request = context.client.request
    assert request is not None
    return str(request.session['id'])


def client_of_page() -> str:
    """The client address of the current page (see `request_address`)."""
    return request_address(context.client.request)


def request_address(request: Request) -> str:
    """The client address of a request: uvicorn has taken it from X-Forwarded-For if, and only if, the request
    came from one of TRUSTED_PROXIES (see `ui.security.server_options`)."""
    return client_address(request.client.host if request.client else None)


async def _renew_browser_id(request: Request, sign_ins: SignIns, sign_in: SignIn | None,
                            identity: dict[str, Any] | None) -> str:
    """Give the browser a new id; its storage moves along except the old identity."""
    old_id = str(request.session['id'])
    kept = {key: value for key, value in app.storage.user.items() if key != ACCOUNT_KEY}
    if identity is not None:
        kept[ACCOUNT_KEY] = identity
    app.storage.user.clear()
    new_id = str(uuid.uuid4())
    await run.io_bound(sign_ins.move, old_id, new_id, sign_in, kept)
    request.session['id'] = new_id  # the session middleware sends the browser a newly signed cookie
    return old_id


async def _recheck(accounts: Accounts, sign_ins: SignIns, browser_id: str) -> None:
    """On every page load: the database check each time, the token check (Firebase revocation) once a minute."""
    identity = current_identity()
    assert identity is not None
    held = await run.io_bound(sign_ins.get, browser_id)
    try:
        if held and time.time() - held.checked_at < RECHECK_SECONDS:
            await run.io_bound(accounts.check_session, identity)
            return
        renewed = await run.io_bound(accounts.renew, held.sign_in if held else SignIn(identity))
    except InvalidToken:
        await _forget_sign_in(sign_ins, browser_id)
        return
    except (AccountError, DatabaseUnavailable):
        return  # cannot check right now: the verified identity holds until it expires
    if renewed is None:  # the server is shutting down
        return
    await run.io_bound(sign_ins.keep, browser_id, renewed)
    app.storage.user[ACCOUNT_KEY] = renewed.identity.to_storage()


async def _forget_sign_in(sign_ins: SignIns, browser_id: str) -> None:
    await run.io_bound(sign_ins.forget, browser_id)
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
        ui.menu_item('Log out', on_click=lambda: log_out(_page_sign_ins())).mark('log-out')


def _page_sign_ins() -> SignIns:
    request = context.client.request
    assert request is not None
    return cast(SignIns, request.state.sign_ins)
