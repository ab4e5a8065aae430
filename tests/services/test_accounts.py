"""The flows both account kinds share: local accounts on the database, Firebase accounts on the real emulator."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest

from services.accounts import INVALID_CREDENTIALS, AccountError, Accounts, InvalidCredentials
from services.config import Settings
from services.db import Database
from services.firebase_accounts import FirebaseAccounts
from services.local_accounts import LocalAccounts

PASSWORD = 'correct horse battery'
CLIENT = '198.51.100.7'
MakeAccounts = Callable[[], Accounts]


@pytest.fixture(params=['local', 'firebase'])
def make_accounts(request: pytest.FixtureRequest, database: Database) -> MakeAccounts:
    """Builds the accounts from the settings in the environment at the time of the call."""
    if request.param == 'firebase':
        request.getfixturevalue('firebase_env')
        return lambda: FirebaseAccounts.from_settings(Settings(), database)
    return lambda: LocalAccounts.from_settings(Settings(), database)


@pytest.fixture
def accounts(make_accounts: MakeAccounts) -> Accounts:
    return make_accounts()


def test_register_then_log_in(accounts: Accounts) -> None:
    registered = accounts.register(' Ada@Example.com ', PASSWORD, client=CLIENT)
    assert registered.identity.email == 'ada@example.com'
    assert registered.identity.expires_at > time.time() + 3000
    logged_in = accounts.login('ADA@example.com', PASSWORD, client=CLIENT)
    assert logged_in.identity.uid == registered.identity.uid
    assert accounts.user_id(logged_in.identity) == accounts.user_id(registered.identity)


@pytest.mark.parametrize('email', ['ada@example.com', 'nobody@example.com', 'not-an-email'])
def test_wrong_password_or_unknown_email_get_one_message(accounts: Accounts, email: str) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials) as raised:
        accounts.login(email, 'wrong password', client=CLIENT)
    assert str(raised.value) == INVALID_CREDENTIALS


def test_duplicate_email_is_refused(accounts: Accounts) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(AccountError, match='already exists'):
        accounts.register('ADA@example.com', 'another password', client=CLIENT)


def test_short_password_is_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match='at least 8 characters'):
        accounts.register('ada@example.com', 'seven77', client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'seven77', client=CLIENT)


def test_failed_logins_are_throttled_per_account_and_per_address(make_accounts: MakeAccounts,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('LOGIN_FAILURES_PER_ACCOUNT', '2')
    monkeypatch.setenv('LOGIN_FAILURES_PER_ADDRESS', '3')
    accounts = make_accounts()
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.register('bob@example.com', PASSWORD, client=CLIENT)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            accounts.login('ada@example.com', 'wrong password', client=CLIENT)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        accounts.login('ada@example.com', PASSWORD, client='203.0.113.9')  # the account is paused everywhere
    assert accounts.login('bob@example.com', PASSWORD, client=CLIENT).identity.email == 'bob@example.com'
    with pytest.raises(InvalidCredentials):
        accounts.login('carol@example.com', 'wrong password', client=CLIENT)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        accounts.login('bob@example.com', PASSWORD, client=CLIENT)  # the address is paused for every account


def test_no_password_in_logs(accounts: Accounts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'the wrong one', client=CLIENT)
    assert 'failed login from 198.51.100.7' in caplog.text
    assert PASSWORD not in caplog.text and 'the wrong one' not in caplog.text
