"""Log in, register, reset a password, and the account page (email, API keys, deleting the account)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from nicegui import run, ui
from starlette.responses import RedirectResponse

from services.accounts.api_keys import TooManyKeys, create_api_key, list_api_keys, revoke_api_key
from services.accounts.interface import REGISTERED, RESET_SENT, RESET_UNAVAILABLE, AccountError, Identity, SignIn
from services.container import Services
from services.identity import Caller
from services.store.database import DatabaseUnavailable
from ui.frame import frame
from ui.owner import still_acting_for
from ui.session import client_of_page, current_identity, finish_login, log_out, safe_redirect


def register(services: Services) -> None:
    accounts, settings = services.accounts, services.settings

    @ui.page('/login')
    def login_page(redirect_to: str = '/', registered: bool = False) -> RedirectResponse | None:
        if current_identity():
            return RedirectResponse(safe_redirect(redirect_to))
        with frame('Log in'), _card('Log in to LogSentry'):
            if registered:
                ui.label(REGISTERED).props('role=status').classes('text-sm')
            email = _email_input()
            password = _password_input('Password')
            error = _error_label()

            async def submit() -> None:
                await _sign_in(services, error, redirect_to,
                               lambda client: accounts.login(email.value, password.value, client=client))

            password.on('keydown.enter', submit)
            ui.button('Log in', on_click=submit).classes('w-full')
            with ui.row().classes('w-full justify-between text-sm'):
                ui.link('Create an account', '/register')
                ui.link('Forgot your password?', '/reset')
        return None

    @ui.page('/register')
    def register_page(redirect_to: str = '/') -> RedirectResponse | None:
        if current_identity():
            return RedirectResponse(safe_redirect(redirect_to))
        with frame('Register'), _card('Create your account'):
            ui.label('Registered users get unlimited analyses and keep their history.').classes('text-sm')
            email = _email_input()
            password = _password_input(f'Password (at least {settings.password_min_length} characters)', new=True)
            repeat = _password_input('Repeat the password', new=True)
            error = _error_label()

            async def submit() -> None:
                if password.value != repeat.value:
                    error.text = 'The passwords do not match.'
                    return
                error.text = ''
                try:
                    await run.io_bound(accounts.register, email.value, password.value, client=client_of_page())
                except (AccountError, DatabaseUnavailable) as exc:
                    error.text = str(exc)
                    return
                # The same page whether the email was free or not: registering tells nobody who has an account.
                ui.navigate.to(f'/login?{urlencode({"registered": "true", "redirect_to": safe_redirect(redirect_to)})}')

            repeat.on('keydown.enter', submit)
            ui.button('Create account', on_click=submit).classes('w-full')
            with ui.row().classes('text-sm'):
                ui.label('Already registered?')
                ui.link('Log in', '/login')
        return None

    @ui.page('/reset')
    def reset_page() -> None:
        with frame('Reset password'), _card('Reset your password'):
            if not accounts.password_reset_available:
                ui.label(RESET_UNAVAILABLE).props('role=status')
                ui.link('Back to log in', '/login').classes('text-sm')
                return
            email = _email_input()
            status = ui.label().props('role=status aria-live=polite')

            async def submit() -> None:
                try:
                    await run.io_bound(accounts.send_password_reset, email.value)
                except AccountError as exc:
                    status.text = str(exc)
                    return
                status.text = RESET_SENT

            ui.button('Send reset link', on_click=submit).classes('w-full')
            ui.link('Back to log in', '/login').classes('text-sm')

    @ui.page('/account')
    async def account_page() -> None:
        identity = current_identity()
        assert identity is not None  # the sign-in middleware sends guests to /login first
        with frame('Account'):
            ui.label('Your account').classes('text-2xl font-semibold')
            with ui.row().classes('items-center gap-2'):
                ui.label(identity.email).classes('text-lg').mark('account-email')
                ui.badge('Unlimited analyses', color='positive')
            await _api_keys(services, identity)
            _end_sessions(services, identity)
            _delete_account(services, identity)


async def _sign_in(services: Services, error: ui.label, redirect_to: str, attempt: Callable[[str], SignIn]) -> None:
    client = client_of_page()
    error.text = ''
    try:
        sign_in = await run.io_bound(attempt, client)
    except (AccountError, DatabaseUnavailable) as exc:
        error.text = str(exc)
        return
    if sign_in is not None:  # None: the server is shutting down
        await finish_login(services.sign_ins, sign_in, redirect_to)


async def _api_keys(services: Services, identity: Identity) -> None:
    database, user_id = services.database, identity.user_id
    owner = Caller(user_id=user_id)
    ui.label('API keys').classes('text-xl font-semibold mt-4')
    ui.label('Send a key as "Authorization: Bearer <key>" to the JSON API. It is shown once, when created.') \
        .classes('text-sm text-gray-600')
    with ui.row().classes('items-end gap-2'):
        name = ui.input('Key name', placeholder='e.g. CI pipeline').props('outlined dense aria-label="Key name"')
        ui.button('Create key', icon='key', on_click=lambda: create())
    created = ui.column().classes('w-full')
    listing = ui.column().classes('w-full gap-1')

    async def create() -> None:
        if not await still_acting_for(services, owner):  # a key only ever for the account this session is
            return
        try:
            new = await run.io_bound(create_api_key, database, user_id=user_id, name=name.value or '')
        except (TooManyKeys, AccountError, DatabaseUnavailable) as exc:
            ui.notify(str(exc), type='negative')
            return
        if new is None:
            return
        name.value = ''
        created.clear()
        with created, ui.card().classes('w-full bg-amber-50'):
            ui.label('Copy your new key now: it will not be shown again.').classes('font-medium')
            with ui.row().classes('items-center gap-2 w-full'):
                ui.input(value=new.key).props('readonly outlined dense aria-label="New API key"') \
                    .classes('font-mono grow').mark('new-api-key')
                ui.button(icon='content_copy', on_click=lambda: ui.clipboard.write(new.key)) \
                    .props('flat aria-label="Copy key"')
        await show_keys()

    async def revoke(key_id: int) -> None:
        if not await still_acting_for(services, owner):
            return
        try:
            await run.io_bound(revoke_api_key, database, user_id=user_id, key_id=key_id)
        except DatabaseUnavailable as exc:
            ui.notify(str(exc), type='negative')
        created.clear()
        await show_keys()

    async def show_keys() -> None:
        try:
            keys = await run.io_bound(list_api_keys, database, user_id=user_id)
        except DatabaseUnavailable as exc:
            keys = []
            ui.notify(str(exc), type='negative')
        listing.clear()
        with listing:
            if not keys:
                ui.label('No API keys yet.').classes('text-sm text-gray-600')
            for key in keys or ():
                with ui.row().classes('items-center gap-4 w-full'):
                    ui.label(key.name).classes('font-medium')
                    ui.label(f'{key.prefix}…').classes('font-mono text-sm')
                    used = key.last_used_at.strftime('%Y-%m-%d %H:%M UTC') if key.last_used_at else 'never'
                    ui.label(f'created {key.created_at:%Y-%m-%d}, last used {used}').classes('text-sm text-gray-600')
                    ui.button('Revoke', on_click=lambda key_id=key.id: revoke(key_id)) \
                        .props(f'flat color=negative aria-label="Revoke {key.name}"')

    await show_keys()


def _end_sessions(services: Services, identity: Identity) -> None:
    ui.label('Sessions').classes('text-xl font-semibold mt-4')
    ui.label('Log out of LogSentry in every browser, this one too. Your API keys keep working until you revoke them.') \
        .classes('text-sm text-gray-600')

    async def end() -> None:
        try:
            await run.io_bound(services.accounts.end_sessions, identity, client=client_of_page())
        except (AccountError, DatabaseUnavailable) as exc:
            ui.notify(str(exc), type='negative')
            return
        await log_out(services.sign_ins, '/login')

    ui.button('Log out everywhere', icon='logout', on_click=end).props('outline')


def _delete_account(services: Services, identity: Identity) -> None:
    ui.label('Delete account').classes('text-xl font-semibold mt-4')
    ui.label('Deletes your account, your analyses, their share links and your API keys. This cannot be undone.') \
        .classes('text-sm text-gray-600')
    with ui.dialog() as dialog, ui.card():
        ui.label(f'Delete {identity.email} and all its data?').classes('font-medium')
        confirm = ui.input('Type your email to confirm').props('outlined dense')
        error = _error_label()

        async def delete() -> None:
            if confirm.value.strip().lower() != identity.email:
                error.text = 'Type your email exactly to confirm.'
                return
            try:
                await run.io_bound(services.accounts.delete_account, identity, client=client_of_page())
            except (AccountError, DatabaseUnavailable) as exc:
                error.text = str(exc)
                return
            dialog.close()
            await log_out(services.sign_ins, '/')

        with ui.row():
            ui.button('Cancel', on_click=dialog.close).props('flat')
            ui.button('Delete everything', on_click=delete).props('color=negative')
    ui.button('Delete my account', icon='delete_forever', on_click=dialog.open).props('outline color=negative')


def _card(title: str) -> ui.card:
    card = ui.card().classes('w-full max-w-md mx-auto gap-3')
    with card:
        ui.label(title).classes('text-2xl font-semibold')
    return card


def _email_input() -> ui.input:
    return ui.input('Email').props('type=email autocomplete=email outlined').classes('w-full')


def _password_input(label: str, *, new: bool = False) -> ui.input:
    autocomplete = 'new-password' if new else 'current-password'
    return ui.input(label, password=True, password_toggle_button=True) \
        .props(f'autocomplete={autocomplete} outlined').classes('w-full')


def _error_label() -> ui.label:
    return ui.label().props('role=alert aria-live=assertive').classes('text-negative')
