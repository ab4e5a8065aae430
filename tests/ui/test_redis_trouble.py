"""Redis configured but unreachable: pages and the API answer 503 and say which part is down, and the log says why."""

import logging

import pytest
from nicegui.storage import Storage
from nicegui.testing import User

from .test_api import bearer, new_key


@pytest.fixture
def unreachable_redis(unreachable_redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('REDIS_URL', unreachable_redis_url)
    # The app points NiceGUI's browser storage at its Redis; the tests after this one keep their own.
    monkeypatch.setattr(Storage, 'redis_url', None)
    monkeypatch.setattr(Storage, 'redis_key_prefix', Storage.redis_key_prefix)


async def test_a_page_answers_503_naming_the_session_store(
    unreachable_redis: None, user: User, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    answer = await user.http_client.get('/history')
    assert answer.status_code == 503
    assert 'The session store is unreachable right now' in answer.text
    assert 'Traceback' not in answer.text
    assert 'The session store is unreachable' in caplog.text
    assert 'Connection refused' in caplog.text


async def test_the_api_answers_503_naming_the_job_queue(unreachable_redis: None, user: User) -> None:
    key = new_key('dev@example.com')
    answer = await user.http_client.post('/api/v1/analyses', json={'text': 'ERROR disk full\n'}, headers=bearer(key))
    assert answer.status_code == 503
    assert answer.headers['Retry-After'] == '60'
    assert answer.json()['detail'].startswith('The job queue is unreachable right now')
