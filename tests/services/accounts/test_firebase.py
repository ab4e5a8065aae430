"""Firebase accounts against the real Firebase Auth Emulator, through pyrebase4 and firebase-admin."""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyrebase.pyrebase
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from firebase_admin import auth
from limits.storage import MemoryStorage

from services.accounts.firebase import FirebaseAccounts
from services.accounts.interface import UNAVAILABLE, AccountError, InvalidCredentials, InvalidToken, SignIn
from services.config import Settings
from services.store.database import Database, open_database
from services.store.tables import User
from tests.firebase_emulator import Emulator
from tests.ui.test_api_firebase_tokens import with_claims

PASSWORD = 'correct horse battery'
CLIENT = '198.51.100.7'


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f'sqlite:///{tmp_path / "test.db"}')
    yield database
    database.dispose()


@pytest.fixture
def accounts(firebase_env: Emulator, sqlite: Database) -> FirebaseAccounts:
    return FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())


def register(accounts: FirebaseAccounts, email: str = 'ada@example.com') -> SignIn:
    accounts.register(email, PASSWORD, client=CLIENT)
    return accounts.login(email, PASSWORD, client=CLIENT)


def test_short_password_is_refused_before_asking_firebase(accounts: FirebaseAccounts, firebase_env: Emulator) -> None:
    with pytest.raises(AccountError, match='at least 8 characters'):
        accounts.register('ada@example.com', 'seven77', client=CLIENT)
    assert _emulator_accounts(firebase_env) == []


def test_token_is_refreshed_before_it_expires(accounts: FirebaseAccounts) -> None:
    signed_in = register(accounts)
    assert accounts.renew(signed_in) is signed_in  # far from expiry: only verified

    expiring = dataclasses.replace(signed_in, identity=dataclasses.replace(signed_in.identity, expires_at=time.time()))
    renewed = accounts.renew(expiring)
    assert renewed.identity.uid == signed_in.identity.uid
    assert renewed.identity.expires_at > time.time() + 3000
    assert accounts.verify_token(renewed.id_token or '').uid == signed_in.identity.uid


def test_revoked_token_and_refresh_are_refused(accounts: FirebaseAccounts) -> None:
    signed_in = register(accounts)
    time.sleep(1.1)  # revocation counts whole seconds: tokens issued in the same second stay valid
    auth.revoke_refresh_tokens(signed_in.identity.uid, app=accounts._admin)
    with pytest.raises(InvalidToken):
        accounts.verify_token(signed_in.id_token or '')
    with pytest.raises(InvalidToken):
        accounts.renew(signed_in)


def test_token_from_another_project_is_refused(accounts: FirebaseAccounts, sqlite: Database,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    token = register(accounts).id_token or ''
    monkeypatch.setenv('FIREBASE_PROJECT_ID', 'demo-other')
    other_project = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    with pytest.raises(InvalidToken):
        other_project.verify_token(token)


@pytest.mark.parametrize('tamper', [lambda t: t[:-4] + 'AAAA', lambda t: t.split('.')[0] + '..', lambda t: 'garbage'])
def test_tampered_token_is_refused(accounts: FirebaseAccounts, tamper: object) -> None:
    # Emulator tokens are unsigned and checked without a signature; production tokens' signatures are verified too.
    token = register(accounts).id_token or ''
    with pytest.raises(InvalidToken):
        accounts.verify_token(tamper(token))  # type: ignore[operator]


def test_api_bearer_token_proves_a_user_row(accounts: FirebaseAccounts, sqlite: Database) -> None:
    signed_in = register(accounts)
    user_id = accounts.authenticate(signed_in.id_token or '')
    assert user_id is not None
    assert accounts.authenticate(accounts.login('ada@example.com', PASSWORD, client=CLIENT).id_token or '') == user_id
    with sqlite.read() as session:
        user = session.get_one(User, user_id)
    assert (user.email, user.firebase_uid, user.password_hash) == ('ada@example.com', signed_in.identity.uid, None)
    assert accounts.authenticate('lsk_not-a-firebase-token') is None
    assert accounts.authenticate((signed_in.id_token or '')[:-4] + 'AAAA') is None


def test_deleting_the_account_deletes_it_in_firebase_and_here(accounts: FirebaseAccounts, sqlite: Database) -> None:
    signed_in = register(accounts)
    user_id = signed_in.identity.user_id
    accounts.delete_account(signed_in.identity, client=CLIENT)
    with pytest.raises(InvalidToken):
        accounts.verify_token(signed_in.id_token or '')
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    with sqlite.read() as session:
        assert session.get(User, user_id) is None


def test_password_reset_sends_a_link_only_to_an_account(accounts: FirebaseAccounts, firebase_env: Emulator) -> None:
    accounts.register('ada@example.com', PASSWORD, client=CLIENT)
    accounts.send_password_reset('ada@example.com')
    accounts.send_password_reset('nobody@example.com')  # answered the same way: no telling who has an account
    codes = _emulator_get(firebase_env, 'oobCodes')['oobCodes']
    assert [(code['email'], code['requestType']) for code in codes] == [('ada@example.com', 'PASSWORD_RESET')]


def test_no_password_token_or_key_in_logs(accounts: FirebaseAccounts, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    signed_in = register(accounts)
    accounts.login('ada@example.com', PASSWORD, client=CLIENT)
    with pytest.raises(InvalidCredentials):
        accounts.login('ada@example.com', 'the wrong one', client=CLIENT)
    expiring = dataclasses.replace(signed_in, identity=dataclasses.replace(signed_in.identity, expires_at=0))
    renewed = accounts.renew(expiring)
    secrets = [PASSWORD, 'the wrong one', signed_in.id_token, signed_in.refresh_token, renewed.id_token,
               renewed.refresh_token, Settings().firebase_api_key.get_secret_value()]  # type: ignore[union-attr]
    assert 'POST' in caplog.text  # the requests were logged, just not their secrets
    for secret in secrets:
        assert secret and secret not in caplog.text


@pytest.mark.parametrize(('claims', 'skew', 'accepted'), [
    ({'iat': 5}, 0, False), ({'iat': 5}, 10, True),  # issued by a clock 5 s ahead of ours
    ({'exp': -5}, 0, False), ({'exp': -5}, 10, True),  # expired 5 s ago by our clock
])
def test_token_times_may_be_off_by_the_clock_skew_setting(
        firebase_env: Emulator, sqlite: Database, monkeypatch: pytest.MonkeyPatch, claims: dict[str, int], skew: int,
        accepted: bool) -> None:
    monkeypatch.setenv('FIREBASE_CLOCK_SKEW_SECONDS', str(skew))
    accounts = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    token = register(accounts).id_token or ''
    now = int(time.time())
    shifted = with_claims(token, **{claim: now + offset for claim, offset in claims.items()})
    if accepted:
        assert accounts.verify_token(shifted).email == 'ada@example.com'
    else:
        with pytest.raises(InvalidToken):
            accounts.verify_token(shifted)


def test_a_firebase_that_does_not_answer_is_given_up_on_after_the_timeout(
        firebase_env: Emulator, sqlite: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('FIREBASE_TIMEOUT_SECONDS', '1')
    accounts = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    signed_in = register(accounts)
    expiring = dataclasses.replace(signed_in, identity=dataclasses.replace(signed_in.identity, expires_at=0))
    calls = {
        'login': lambda: accounts.login('ada@example.com', PASSWORD, client=CLIENT),
        'register': lambda: accounts.register('bob@example.com', PASSWORD, client=CLIENT),
        'password reset': lambda: accounts.send_password_reset('ada@example.com'),
        'token refresh': lambda: accounts.renew(expiring),
        'token check': lambda: accounts.verify_token(signed_in.id_token or ''),
    }
    with firebase_env.unresponsive():
        for name, call in calls.items():
            started = time.monotonic()
            with pytest.raises(AccountError) as raised:
                call()
            assert str(raised.value) == UNAVAILABLE, name
            assert time.monotonic() - started < 5, name  # without a timeout pyrebase would wait for ever
    assert accounts.login('ada@example.com', PASSWORD, client=CLIENT).identity.email == 'ada@example.com'


def test_each_instance_keeps_its_own_route_and_timeout(firebase_env: Emulator, sqlite: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    reachable = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    register(reachable)
    with _server_that_never_answers() as address:
        monkeypatch.setenv('FIREBASE_AUTH_EMULATOR_HOST', address)
        monkeypatch.setenv('FIREBASE_TIMEOUT_SECONDS', '0.5')
        stuck = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
        started = time.monotonic()
        with pytest.raises(AccountError) as raised:
            stuck.login('ada@example.com', PASSWORD, client=CLIENT)
        assert str(raised.value) == UNAVAILABLE
        assert time.monotonic() - started < 3
    # The instance made first still reaches its emulator, and pyrebase's own module was left alone.
    assert reachable.login('ada@example.com', PASSWORD, client=CLIENT).identity.email == 'ada@example.com'
    assert pyrebase.pyrebase.requests is requests


@contextmanager
def _server_that_never_answers() -> Iterator[str]:
    """A listening socket that is never read: connections are made, requests sent, and no answer ever comes."""
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)
        yield f'127.0.0.1:{listener.getsockname()[1]}'


def _emulator_accounts(emulator: Emulator) -> list[object]:
    request = urllib.request.Request(
        f'http://{emulator.host}/identitytoolkit.googleapis.com/v1/projects/{emulator.project_id}/accounts:query',
        data=b'{}', headers={'Content-Type': 'application/json', 'Authorization': 'Bearer owner'}, method='POST')
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the local emulator
        return list(json.load(response).get('userInfo', []))


def _emulator_get(emulator: Emulator, what: str) -> dict[str, list[dict[str, str]]]:
    url = f'http://{emulator.host}/emulator/v1/projects/{emulator.project_id}/{what}'
    with urllib.request.urlopen(url, timeout=10) as response:
        return dict(json.load(response))


@pytest.mark.parametrize('given_as', ['json', 'path'])
def test_service_account_from_json_or_a_file(firebase_env: Emulator, sqlite: Database, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch, given_as: str) -> None:
    text = json.dumps(_service_account(firebase_env.project_id))
    if given_as == 'path':
        (tmp_path / 'service-account.json').write_text(text)
        text = str(tmp_path / 'service-account.json')
    monkeypatch.setenv('FIREBASE_CREDENTIALS', text)
    accounts = FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    token = register(accounts).id_token or ''
    assert accounts.verify_token(token).email == 'ada@example.com'


@pytest.mark.parametrize('value', ['{"type": "service_account", "private_key": "SECRET-PART"}', 'missing.json'])
def test_unusable_service_account_is_named_not_shown(firebase_env: Emulator, sqlite: Database,
                                                     monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv('FIREBASE_CREDENTIALS', value)
    with pytest.raises(ValueError, match='FIREBASE_CREDENTIALS is not a usable service account') as raised:
        FirebaseAccounts.from_settings(Settings(), sqlite, counters=MemoryStorage())
    assert 'SECRET-PART' not in str(raised.value)


def _service_account(project_id: str) -> dict[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {'type': 'service_account', 'project_id': project_id, 'private_key_id': 'test', 'private_key': pem,
            'client_email': f'logsentry@{project_id}.iam.gserviceaccount.com', 'client_id': '1',
            'token_uri': 'https://oauth2.googleapis.com/token'}


def test_no_user_tokens_stay_on_the_shared_accounts_object(accounts: FirebaseAccounts) -> None:
    ada = register(accounts)
    grace = register(accounts, 'grace@example.com')
    renewed = accounts.renew(dataclasses.replace(
        grace, identity=dataclasses.replace(grace.identity, expires_at=time.time())))
    tokens = {ada.id_token, ada.refresh_token, grace.id_token, grace.refresh_token, renewed.id_token,
              renewed.refresh_token} - {None}
    assert len(tokens) >= 4  # a renewal within the same second may hand back the same tokens
    assert not tokens & _strings_held_by(accounts)


def _strings_held_by(root: object) -> set[str]:
    """Every string reachable from `root` through instances of this project and pyrebase, and their containers."""
    seen: set[int] = set()
    found: set[str] = set()
    pending: list[object] = [root]
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            pending.extend(item)
        elif type(item).__module__.startswith(('services', 'pyrebase')) and hasattr(item, '__dict__'):
            pending.extend(vars(item).values())
    return found
