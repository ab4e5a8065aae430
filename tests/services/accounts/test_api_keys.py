from __future__ import annotations

import logging

import pytest

from services.accounts.api_keys import MAX_KEYS_PER_USER, TooManyKeys, create_api_key, list_api_keys, revoke_api_key
from services.accounts.audit import AUDIT_LOGGER
from services.accounts.bearer import AnyOf, ApiKeyAuthenticator
from services.store.database import Database
from services.store.tables import ApiKey
from tests.services.store.test_saved_analyses import add_user


def test_a_key_authenticates_its_owner_until_revoked(database: Database) -> None:
    user_id = add_user(database, 'dev@example.com')
    created = create_api_key(database, user_id=user_id, name='CI')
    authenticator = ApiKeyAuthenticator(database)
    assert authenticator.authenticate(created.key) == user_id
    [listed] = list_api_keys(database, user_id=user_id)
    assert (listed.name, listed.prefix) == ('CI', created.key[:12])
    assert listed.last_used_at is not None
    assert revoke_api_key(database, user_id=user_id, key_id=listed.id)
    assert authenticator.authenticate(created.key) is None
    assert list_api_keys(database, user_id=user_id) == []


def test_only_the_hash_is_stored(database: Database) -> None:
    user_id = add_user(database, 'dev@example.com')
    created = create_api_key(database, user_id=user_id, name='CI')
    with database.read() as session:
        stored = session.get(ApiKey, created.info.id)
    assert stored is not None and created.key not in (stored.key_hash, stored.prefix)


def test_wrong_keys_and_other_users_keys(database: Database) -> None:
    alice, bob = add_user(database, 'alice@example.com'), add_user(database, 'bob@example.com')
    created = create_api_key(database, user_id=alice, name='laptop')
    assert revoke_api_key(database, user_id=bob, key_id=created.info.id) is False
    authenticator = AnyOf([ApiKeyAuthenticator(database)])
    assert authenticator.authenticate(created.key + 'x') is None
    assert authenticator.authenticate('eyJhbGciOi.not-a-key') is None
    assert authenticator.authenticate(created.key) == alice


def test_the_number_of_keys_is_bounded(database: Database) -> None:
    user_id = add_user(database, 'dev@example.com')
    for number in range(MAX_KEYS_PER_USER):
        create_api_key(database, user_id=user_id, name=f'key {number}')
    with pytest.raises(TooManyKeys):
        create_api_key(database, user_id=user_id, name='one too many')


def test_key_creation_use_and_revocation_are_audited_without_the_key(database: Database,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger=AUDIT_LOGGER)
    user_id = add_user(database, 'dev@example.com')
    created = create_api_key(database, user_id=user_id, name='CI')
    ApiKeyAuthenticator(database).authenticate(created.key)
    revoke_api_key(database, user_id=user_id, key_id=created.info.id)
    ApiKeyAuthenticator(database).authenticate(created.key)  # revoked: not a use
    ids = f'user_id={user_id} key_id={created.info.id}'
    assert [record.getMessage() for record in caplog.records if record.name == AUDIT_LOGGER] == [
        f'api_key_created {ids}', f'api_key_used {ids}', f'api_key_revoked {ids}']
    assert created.key not in caplog.text and created.key[4:12] not in caplog.text
