"""Local accounts on the database (SQLite, and PostgreSQL where it is given)."""

from __future__ import annotations

import dataclasses
import time

import pytest
from sqlalchemy import select

from services.accounts import (
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


def test_password_is_kept_as_an_argon2_hash_and_login_lasts_two_weeks(accounts: LocalAccounts,
                                                                      database: Database) -> None:
    registered = accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    assert registered.identity.expires_at > time.time() + 13 * 24 * 3600
    assert accounts.user_id(registered.identity) == int(registered.identity.uid)
    with database.read() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert stored and stored.startswith('$argon2id$') and PASSWORD not in stored


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


def test_throttle_forgets_failures_after_its_window() -> None:
    throttle = LoginThrottle(per_account=1, per_address=10, window_seconds=0.2)
    throttle.failed('ada@example.com', CLIENT)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        throttle.check('ada@example.com', CLIENT)
    time.sleep(0.25)
    throttle.check('ada@example.com', CLIENT)
