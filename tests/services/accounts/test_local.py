"""Local accounts on the database (SQLite, and PostgreSQL where it is given)."""

from __future__ import annotations

import dataclasses
import time

import pytest
import redis
from limits.storage import MemoryStorage
from sqlalchemy import select

from services.accounts.api_keys import create_api_key, user_for_api_key
from services.accounts.interface import (
    RESET_UNAVAILABLE,
    AccountError,
    InvalidCredentials,
    InvalidToken,
    delete_user_data,
)
from services.accounts.local import LocalAccounts
from services.accounts.throttle import LoginThrottle
from services.config import Settings
from services.state import open_state
from services.store.database import Database
from services.store.tables import User
from tests.services.store.test_saved_analyses import add_user

PASSWORD = 'correct horse battery'
CLIENT = '198.51.100.7'


@pytest.fixture
def accounts(database: Database) -> LocalAccounts:
    return LocalAccounts.from_settings(Settings(), database, counters=MemoryStorage())


def test_password_is_kept_as_an_argon2_hash_and_login_lasts_two_weeks(accounts: LocalAccounts,
                                                                      database: Database) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    signed_in = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    assert signed_in.identity.expires_at > time.time() + 13 * 24 * 3600
    assert signed_in.identity.user_id == int(signed_in.identity.uid)
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
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    signed_in = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    assert accounts.renew(signed_in) == signed_in
    past = dataclasses.replace(signed_in.identity, expires_at=time.time() - 1)
    expired = dataclasses.replace(signed_in, identity=past)
    with pytest.raises(InvalidToken):
        accounts.renew(expired)
    accounts.delete_account(signed_in.identity, client=CLIENT)
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
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    signed_in = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    key = create_api_key(database, user_id=signed_in.identity.user_id, name='ci').key
    assert user_for_api_key(database, key=key) is not None
    accounts.delete_account(signed_in.identity, client=CLIENT)
    assert user_for_api_key(database, key=key) is None
    with pytest.raises(InvalidToken):  # the page of the deleted account cannot make a key for it, nor for anyone
        create_api_key(database, user_id=signed_in.identity.user_id, name='after')
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)  # the email is free again
    again = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    assert again.identity.user_id > signed_in.identity.user_id  # under a new id


def test_user_ids_are_never_handed_out_again(database: Database) -> None:
    # SQLite without AUTOINCREMENT gives the highest deleted id to the next row.
    first, second = add_user(database, 'a@example.com'), add_user(database, 'b@example.com')
    delete_user_data(database, second)
    assert add_user(database, 'c@example.com') > second > first


def test_throttle_forgets_failures_after_its_window(monkeypatch: pytest.MonkeyPatch) -> None:
    # The counters' windows start at whole minutes of the wall clock: a fixed clock at one keeps a window boundary
    # from falling between two steps.
    now = [60.0 * 16_667]
    monkeypatch.setattr(time, 'time', lambda: now[0])
    throttle = LoginThrottle(MemoryStorage(), per_account=1, per_address=10, window_seconds=60)
    throttle.failed('ada@example.com', CLIENT)
    now[0] += 30
    with pytest.raises(AccountError, match='Too many failed attempts'):
        throttle.check('ada@example.com', CLIENT)
    throttle.check('ada@example.com', '203.0.113.9')
    now[0] += 91  # a sliding window counts the previous window in part, so two windows
    throttle.check('ada@example.com', CLIENT)


def test_throttle_memory_is_bounded_by_one_window_of_failures() -> None:
    storage = MemoryStorage()
    throttle = LoginThrottle(storage, per_account=5, per_address=20, window_seconds=1)
    for number in range(2000):  # an attacker spraying accounts from many addresses
        throttle.failed(f'user{number}@example.com', f'10.0.{number // 250}.{number % 250}')
    assert len(storage.storage) == 4000  # a counter per account and address, and one per address
    time.sleep(3)  # two windows on, every one of those counters has expired
    throttle.failed('ada@example.com', CLIENT)  # the storage sweeps expired counters as it is used
    time.sleep(0.5)
    assert len(storage.storage) == 2 and len(storage.expirations) == 2


def test_throttle_is_shared_through_redis(redis_url: str) -> None:
    settings = Settings(redis_url=redis_url, redis_key_prefix=f'test-{time.time_ns()}:',
                        login_failures_per_account=2, login_failures_per_address=50)
    # Two app instances, each opening its state.
    one, other = (LoginThrottle.from_settings(settings, open_state(settings).counters) for _ in range(2))
    one.failed('ada@example.com', CLIENT)
    other.failed('ada@example.com', CLIENT)
    for instance in (one, other):
        with pytest.raises(AccountError, match=r'Too many failed attempts\. Try again in 15 minutes\.'):
            instance.check('ada@example.com', CLIENT)
    one.succeeded('ada@example.com', CLIENT)
    other.check('ada@example.com', CLIENT)
    client = redis.Redis.from_url(redis_url)
    keys = client.keys(f'{settings.redis_key_prefix}*')
    assert keys and not any(b'ada@example.com' in key for key in keys)  # the email only as a digest
    client.delete(*keys)

