"""Local accounts on the database (SQLite, and PostgreSQL where it is given)."""

from __future__ import annotations

import dataclasses
import logging
import time

import pytest
from sqlalchemy import select

from services.accounts import (
    INVALID_CREDENTIALS,
    RESET_UNAVAILABLE,
    AccountError,
    InvalidCredentials,
    InvalidToken,
    LoginThrottle,
)
from services.api_keys import create_api_key, user_for_api_key
from services.config import Settings
from services.db import Database
from services.local_accounts import LocalAccounts
from services.models import User

PASSWORD = 'correct horse battery'
CLIENT = '198.51.100.7'


@pytest.fixture
def accounts(database: Database) -> LocalAccounts:
    return LocalAccounts.from_settings(Settings(), database)


def test_register_then_log_in(accounts: LocalAccounts, database: Database) -> None:
    registered = accounts.register(' Ada@Example.com ', PASSWORD, client=CLIENT)
    assert registered.identity.email == 'ada@example.com'
    assert registered.identity.expires_at > time.time() + 13 * 24 * 3600  # 14 days by default
    logged_in = accounts.login('ADA@example.com', PASSWORD, client=CLIENT)
    assert logged_in.identity.uid == registered.identity.uid
    assert accounts.user_id(logged_in.identity) == int(registered.identity.uid)
    with database.read() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored and stored.startswith('$argon2id$') and PASSWORD not in stored


@pytest.mark.parametrize('email', ['ada@example.com', 'nobody@example.com', 'not-an-email'])
def test_wrong_password_or_unknown_email_get_one_message(accounts: LocalAccounts, email: str) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials) as raised:
        accounts.login(email, 'wrong password', client=CLIENT)
    assert str(raised.value) == INVALID_CREDENTIALS


def test_duplicate_email_is_refused(accounts: LocalAccounts) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(AccountError, match='already exists'):
        accounts.register('ADA@example.com', 'another password', client=CLIENT)


@pytest.mark.parametrize(('email', 'password', 'message'), [
    ('ada@example.com', 'seven77', 'at least 8 characters'),
    ('ada', PASSWORD, 'valid email'),
    ('ada@example', PASSWORD, 'valid email'),
    ('a da@example.com', PASSWORD, 'valid email'),
])
def test_bad_registration_is_explained(accounts: LocalAccounts, database: Database, email: str, password: str,
                                       message: str) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.register(email, password, client=CLIENT)
    with database.read() as session:
        assert session.scalars(select(User)).all() == []


def test_sign_in_is_renewed_until_it_expires_or_the_account_goes(accounts: LocalAccounts) -> None:
    signed_in = accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    assert accounts.renew(signed_in) == signed_in
    past = dataclasses.replace(signed_in.identity, expires_at=time.time() - 1)
    expired = dataclasses.replace(signed_in, identity=past)
    with pytest.raises(InvalidToken):
        accounts.renew(expired)
    accounts.delete_account(signed_in.identity)
    with pytest.raises(InvalidToken):
        accounts.renew(signed_in)


def test_password_reset_says_it_is_not_available(accounts: LocalAccounts) -> None:
    assert accounts.password_reset_available is False
    with pytest.raises(AccountError) as raised:
        accounts.send_password_reset('ada@example.com')
    assert str(raised.value) == RESET_UNAVAILABLE


def test_bearer_tokens_are_not_local_credentials(accounts: LocalAccounts) -> None:
    with pytest.raises(InvalidToken):
        accounts.verify_token('anything')


def test_deleting_the_account_deletes_its_data(accounts: LocalAccounts, database: Database) -> None:
    signed_in = accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    key = create_api_key(database, user_id=accounts.user_id(signed_in.identity), name='ci').key
    assert user_for_api_key(database, key=key) is not None
    accounts.delete_account(signed_in.identity)
    assert user_for_api_key(database, key=key) is None
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)  # the email is free again


def test_failed_logins_are_throttled_per_account_and_per_address(database: Database) -> None:
    accounts = LocalAccounts(database, throttle=LoginThrottle(per_account=2, per_address=3, window_seconds=60),
                             min_password_length=8, session_seconds=60)
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


def test_throttle_forgets_failures_after_its_window() -> None:
    throttle = LoginThrottle(per_account=1, per_address=10, window_seconds=0.2)
    throttle.failed('ada@example.com', CLIENT)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        throttle.check('ada@example.com', CLIENT)
    time.sleep(0.25)
    throttle.check('ada@example.com', CLIENT)


def test_no_password_in_logs(accounts: LocalAccounts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'the wrong one', client=CLIENT)
    assert 'failed login from 198.51.100.7' in caplog.text
    assert PASSWORD not in caplog.text and 'the wrong one' not in caplog.text
