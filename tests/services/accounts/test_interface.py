"""The flows both account kinds share: local accounts on the database, Firebase accounts on the real emulator."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pytest
from limits.storage import MemoryStorage

from services.accounts.audit import AUDIT_LOGGER
from services.accounts.firebase import FirebaseAccounts
from services.accounts.interface import (
    COMMON_PASSWORD,
    INVALID_CREDENTIALS,
    AccountError,
    Accounts,
    InvalidCredentials,
    InvalidToken,
)
from services.accounts.local import LocalAccounts
from services.config import Settings
from services.store.database import Database

PASSWORD = 'correct horse battery'
CLIENT = '198.51.100.7'
ATTACKER = '203.0.113.9'
MakeAccounts = Callable[[], Accounts]


@pytest.fixture(params=['local', 'firebase'])
def make_accounts(request: pytest.FixtureRequest, database: Database) -> MakeAccounts:
    """Builds the accounts from the settings in the environment at the time of the call."""
    if request.param == 'firebase':
        request.getfixturevalue('firebase_env')
        return lambda: FirebaseAccounts.from_settings(Settings(), database, counters=MemoryStorage())
    return lambda: LocalAccounts.from_settings(Settings(), database, counters=MemoryStorage())


@pytest.fixture
def accounts(make_accounts: MakeAccounts) -> Accounts:
    return make_accounts()


def test_register_then_log_in(accounts: Accounts) -> None:
    assert accounts.register(' Ada@Example.com ', PASSWORD, client=CLIENT) is None  # no sign-in: see REGISTERED
    logged_in = accounts.login('ADA@example.com', PASSWORD, client=CLIENT)
    assert logged_in.identity.email == 'ada@example.com'
    assert logged_in.identity.expires_at > time.time() + 3000
    again = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    assert (again.identity.uid, again.identity.user_id) == (logged_in.identity.uid, logged_in.identity.user_id)


@pytest.mark.parametrize('email', ['ada@example.com', 'nobody@example.com', 'not-an-email'])
def test_wrong_password_or_unknown_email_get_one_message(accounts: Accounts, email: str) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials) as raised:
        accounts.login(email, 'wrong password', client=CLIENT)
    assert str(raised.value) == INVALID_CREDENTIALS


def test_registering_a_taken_email_answers_as_a_new_one_and_changes_nothing(accounts: Accounts) -> None:
    assert accounts.register('ada@example.com', PASSWORD, client=CLIENT) is None
    assert accounts.register('ADA@example.com', 'another password', client=CLIENT) is None
    assert accounts.login('ada@example.com', PASSWORD, client=CLIENT).identity.email == 'ada@example.com'
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'another password', client=CLIENT)


def test_short_password_is_refused(accounts: Accounts) -> None:
    with pytest.raises(AccountError, match='at least 8 characters'):
        accounts.register('ada@example.com', 'seven77', client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'seven77', client=CLIENT)


@pytest.mark.parametrize('password', ['password1', 'Qwertyuiop', '12345678', 'adalovelace@example.com',
                                      'AdaLovelace'])
def test_common_passwords_and_the_email_itself_are_refused(accounts: Accounts, password: str) -> None:
    with pytest.raises(AccountError) as raised:
        accounts.register('adalovelace@example.com', password, client=CLIENT)
    assert str(raised.value) == COMMON_PASSWORD
    with pytest.raises(InvalidCredentials):
        accounts.login('adalovelace@example.com', password, client=CLIENT)


def test_failed_logins_pause_an_account_from_one_address_and_an_address_over_all_accounts(
        make_accounts: MakeAccounts, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('LOGIN_FAILURES_PER_ACCOUNT', '2')
    monkeypatch.setenv('LOGIN_FAILURES_PER_ADDRESS', '3')
    accounts = make_accounts()
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.register('bob@example.com', PASSWORD, client=CLIENT)
    for _ in range(2):
        with pytest.raises(InvalidCredentials):
            accounts.login('ada@example.com', 'wrong password', client=ATTACKER)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        accounts.login('ada@example.com', PASSWORD, client=ATTACKER)  # paused for that account from that address
    # The owner, elsewhere, is not locked out by someone guessing; the guesser may still try other accounts.
    assert accounts.login('ada@example.com', PASSWORD, client=CLIENT).identity.email == 'ada@example.com'
    assert accounts.login('bob@example.com', PASSWORD, client=ATTACKER).identity.email == 'bob@example.com'
    with pytest.raises(InvalidCredentials):
        accounts.login('carol@example.com', 'wrong password', client=ATTACKER)
    with pytest.raises(AccountError, match='Too many failed attempts'):
        accounts.login('bob@example.com', PASSWORD, client=ATTACKER)  # the address is paused for every account
    assert accounts.login('bob@example.com', PASSWORD, client=CLIENT).identity.email == 'bob@example.com'


def test_a_deleted_accounts_session_never_becomes_the_next_account(accounts: Accounts) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    ada = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    ada_elsewhere = accounts.login('ada@example.com', PASSWORD, client=ATTACKER)  # a second browser
    accounts.delete_account(ada.identity, client=CLIENT)
    accounts.register('bob@example.com', PASSWORD, client=CLIENT)
    bob = accounts.login('bob@example.com', PASSWORD, client=CLIENT)
    assert bob.identity.user_id != ada.identity.user_id  # the deleted id is not handed out again
    for stale in (ada, ada_elsewhere):
        with pytest.raises(InvalidToken):
            accounts.check_session(stale.identity)
        with pytest.raises(InvalidToken):
            accounts.renew(stale)
        with pytest.raises(InvalidToken):
            accounts.delete_account(stale.identity, client=CLIENT)
    accounts.check_session(bob.identity)


def test_logging_out_everywhere_ends_every_session_at_once(accounts: Accounts) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    here, there = (accounts.login('ada@example.com', PASSWORD, client=CLIENT) for _ in range(2))
    accounts.end_sessions(here.identity, client=CLIENT)
    for ended in (here, there):
        with pytest.raises(InvalidToken, match='logged out'):
            accounts.check_session(ended.identity)
        with pytest.raises(InvalidToken):
            accounts.renew(ended)
    fresh = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    accounts.check_session(fresh.identity)
    assert accounts.renew(fresh).identity.user_id == here.identity.user_id


def test_audit_events_name_the_account_never_a_secret(accounts: Accounts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.register('ada@example.com', 'another password', client=CLIENT)
    signed_in = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'the wrong one', client=CLIENT)
    accounts.end_sessions(signed_in.identity, client=CLIENT)
    again = accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    accounts.delete_account(again.identity, client=CLIENT)
    audit = [record for record in caplog.records if record.name == AUDIT_LOGGER]
    user = f'user_id={signed_in.identity.user_id}'
    assert [record.getMessage().split(' ')[0] for record in audit] == [
        'registration', 'registration_email_taken', 'sign_in', 'sign_in_failed', 'sessions_ended', 'sign_in',
        'account_deleted',
    ]
    assert all(record.levelno == logging.INFO and f'client={CLIENT}' in record.getMessage() for record in audit)
    assert user in audit[0].getMessage() and user in audit[-1].getMessage()
    assert audit[2].audit == {'event': 'sign_in', 'user_id': signed_in.identity.user_id, 'client': CLIENT}  # type: ignore[attr-defined]
    secrets = [PASSWORD, 'another password', 'the wrong one', 'ada@example.com', signed_in.id_token,
               signed_in.refresh_token, again.id_token, again.refresh_token]
    for secret in filter(None, secrets):
        assert secret not in caplog.text
