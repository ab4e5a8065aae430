"""Registering, logging in and out, the account page and its API keys, as a person sees them."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from nicegui import ui
from nicegui.testing import User
from sqlalchemy import select

from services.accounts.interface import (
    COMMON_PASSWORD,
    INVALID_CREDENTIALS,
    REGISTERED,
    RESET_UNAVAILABLE,
    SESSION_OVER,
)
from services.config import Settings
from services.identity import Caller
from services.store.database import open_database
from services.store.saved_analyses import save_analysis
from services.store.tables import ApiKey
from services.store.tables import User as UserRow
from tests.firebase_emulator import Emulator
from tests.services.store.test_saved_analyses import analyzed
from tests.ui.waits import WAIT

PASSWORD = 'correct horse battery'


async def register(user: User, email: str = 'ada@example.com', password: str = PASSWORD) -> None:
    """Register, then log in as the page that follows asks."""
    await submit_registration(user, email, password)
    await user.should_see(REGISTERED, retries=WAIT)
    await log_in(user, email, password)


async def submit_registration(user: User, email: str = 'ada@example.com', password: str = PASSWORD) -> None:
    await user.open('/register')
    user.find('Email').type(email)
    user.find('Password (at least 8 characters)').type(password)
    user.find('Repeat the password').type(password)
    user.find(kind=ui.button, content='Create account').click()


async def log_in(user: User, email: str = 'ada@example.com', password: str = PASSWORD) -> None:
    user.find('Email').clear().type(email)
    user.find('Password').clear().type(password)
    user.find(kind=ui.button, content='Log in').click()


async def sees_a_guest_page(user: User) -> None:
    await user.should_see(kind=ui.link, content='Log in', retries=WAIT)


def browser_id(user: User) -> str:
    assert user.client is not None and user.client.request is not None
    return str(user.client.request.session['id'])


async def test_register_shows_unlimited_and_the_account_menu(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    await user.should_see('ada@example.com', retries=WAIT)
    await user.should_not_see(kind=ui.link, content='Log in')


async def test_account_page_sends_guests_to_login_and_back(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await user.should_see('Log in', retries=WAIT)
    await user.open('/account')
    await user.should_see('Log in to LogSentry', retries=WAIT)
    await log_in(user)
    await user.should_see('Your account', retries=WAIT)
    await user.should_see(marker='account-email', retries=WAIT)


async def test_login_and_logout_give_the_browser_a_new_id(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    guest = browser_id(user)
    await user.open('/login')
    await log_in(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    member = browser_id(user)
    assert member != guest
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    assert browser_id(user) not in (guest, member)


@pytest.mark.parametrize('email', ['ada@example.com', 'nobody@example.com'])
async def test_wrong_password_or_email_gets_one_message(user: User, email: str) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    await user.open('/login')
    await log_in(user, email=email, password='not the password')
    await user.should_see(INVALID_CREDENTIALS, retries=WAIT)
    await user.should_not_see('Unlimited analyses')


async def test_registration_problems_are_explained(user: User) -> None:
    await submit_registration(user, password='short')
    await user.should_see('Choose a password of at least 8 characters.', retries=WAIT)
    await submit_registration(user, password='password123')
    await user.should_see(COMMON_PASSWORD, retries=WAIT)


async def test_registering_a_taken_email_looks_the_same_as_a_new_one(user: User) -> None:
    await register(user, email='ada@example.com')
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    await submit_registration(user, email='ADA@example.com', password='another password')
    await user.should_see(REGISTERED, retries=WAIT)  # what a new email sees: nothing tells the account exists
    await user.should_see('Log in to LogSentry')
    await log_in(user, password='another password')
    await user.should_see(INVALID_CREDENTIALS, retries=WAIT)  # and the account was not touched
    await log_in(user)
    await user.should_see('Unlimited analyses', retries=WAIT)


async def test_password_reset_is_plainly_unavailable_with_local_accounts(user: User) -> None:
    await user.open('/reset')
    await user.should_see(RESET_UNAVAILABLE, retries=WAIT)
    await user.should_not_see('Send reset link')


async def test_open_redirects_are_refused(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    await user.open('/login?redirect_to=//evil.example/x')
    await log_in(user)
    await user.should_see('Unlimited analyses', retries=WAIT)  # sent home, not elsewhere
    await user.open('/login?redirect_to=https://evil.example/')
    await user.should_see('Unlimited analyses', retries=WAIT)


async def test_api_key_is_shown_once_listed_and_revoked(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    await user.open('/account')
    await user.should_see('No API keys yet.', retries=WAIT)
    user.find('Key name').type('ci pipeline')
    user.find('Create key').click()
    await user.should_see('Copy your new key now', retries=WAIT)
    key = user.find(marker='new-api-key').elements.pop()
    assert isinstance(key, ui.input) and key.value.startswith('lsk_')
    await user.should_see('ci pipeline', retries=WAIT)
    await user.open('/account')
    await user.should_not_see('Copy your new key now')  # shown once
    await user.should_see('ci pipeline', retries=WAIT)
    user.find('Revoke').click()
    await user.should_see('No API keys yet.', retries=WAIT)


async def test_a_deleted_accounts_other_browser_is_refused_and_never_becomes_the_next_account(
        create_user: Callable[[], User]) -> None:
    first, second = create_user(), create_user()
    await register(first)
    await first.should_see('Unlimited analyses', retries=WAIT)
    await second.open('/login')
    await log_in(second)  # the same account in a second browser
    await second.should_see('Unlimited analyses', retries=WAIT)
    await second.open('/account')
    await second.should_see('No API keys yet.', retries=WAIT)  # left open while the account goes

    await first.open('/account')
    first.find('Delete my account').click()
    first.find('Type your email to confirm').type('ada@example.com')
    first.find('Delete everything').click()
    await sees_a_guest_page(first)
    await register(first, email='bob@example.com')
    await first.should_see('Unlimited analyses', retries=WAIT)
    bob = _user_id('bob@example.com')
    database = open_database(Settings().database_location)
    save_analysis(database, owner=Caller(user_id=bob), file_name='bobs-secret.log', size_bytes=1, analysis=analyzed())

    second.find('Key name').type('stolen')
    second.find('Create key').click()  # an action of the page, over its websocket
    await second.should_see(SESSION_OVER, retries=WAIT)
    await second.should_see('Log in to LogSentry', retries=WAIT)
    with database.read() as rows:
        assert rows.scalars(select(ApiKey)).all() == []
    await second.open('/history')
    await second.should_see('No analyses yet', retries=WAIT)
    await second.should_not_see('bobs-secret.log')
    await second.open('/account')
    await second.should_see('Log in to LogSentry', retries=WAIT)
    database.dispose()


async def test_logging_out_everywhere_ends_the_other_browsers_at_their_next_request(
        create_user: Callable[[], User]) -> None:
    first, second = create_user(), create_user()
    await register(first)
    await first.should_see('Unlimited analyses', retries=WAIT)
    await second.open('/login')
    await log_in(second)
    await second.should_see('Unlimited analyses', retries=WAIT)
    await first.open('/account')
    first.find('Log out everywhere').click()
    await first.should_see('Log in to LogSentry', retries=WAIT)
    await second.open('/')
    await sees_a_guest_page(second)
    await second.should_not_see('Unlimited analyses')
    await log_in(first)  # a new sign-in works as before
    await first.should_see('Unlimited analyses', retries=WAIT)


def _user_id(email: str) -> int:
    database = open_database(Settings().database_location)  # the app's own SQLite file in this test's DATA_DIR
    try:
        with database.read() as rows:
            return rows.scalars(select(UserRow.id).where(UserRow.email == email)).one()
    finally:
        database.dispose()


async def test_deleting_the_account_logs_out_and_frees_the_email(user: User) -> None:
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    await user.open('/account')
    user.find('Delete my account').click()
    user.find('Type your email to confirm').type('someone@else.example')
    user.find('Delete everything').click()
    await user.should_see('Type your email exactly to confirm.', retries=WAIT)
    user.find('Type your email to confirm').clear().type('ada@example.com')
    user.find('Delete everything').click()
    await sees_a_guest_page(user)
    await user.open('/login')
    await log_in(user)
    await user.should_see(INVALID_CREDENTIALS, retries=WAIT)


async def test_firebase_accounts_through_the_pages(firebase_env: Emulator, user: User,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await register(user)
    await user.should_see('Unlimited analyses', retries=WAIT)
    user.find(marker='log-out').click()
    await sees_a_guest_page(user)
    await user.open('/account')
    await log_in(user, password='not the password')
    await user.should_see(INVALID_CREDENTIALS, retries=WAIT)
    await log_in(user)
    await user.should_see('Your account', retries=WAIT)
    await user.open('/reset')
    user.find('Email').type('ada@example.com')
    user.find('Send reset link').click()
    await user.should_see('a link to reset its password is on its way', retries=WAIT)
    for secret in (PASSWORD, 'not the password', 'emulator-api-key'):
        assert secret not in caplog.text
