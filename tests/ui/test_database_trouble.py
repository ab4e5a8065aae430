import sqlite3
from pathlib import Path

import pytest
from nicegui.testing import User

from tests.ui.waits import WAIT

from .test_api import new_key
from .test_saved_analyses import analyze


@pytest.fixture
def short_lock_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('DATABASE_LOCK_TIMEOUT_SECONDS', '0.2')


async def test_a_locked_database_is_a_clear_message_and_loses_nothing(
    short_lock_timeout: None, user: User, isolated_settings: Path,
) -> None:
    kept = await analyze(user, '2026-01-01 10:00:00 ERROR disk full\n')
    blocker = sqlite3.connect(isolated_settings / 'logsentry.db', isolation_level=None)
    blocker.execute('BEGIN EXCLUSIVE')
    try:
        await user.open('/')
        user.find('Or paste log text').type('2026-01-01 10:00:00 ERROR another failure\n')
        user.find(marker='analyze').click()
        await user.should_see('Error: The database is unavailable or busy right now; nothing saved was lost.',
                              retries=WAIT)
    finally:
        blocker.execute('ROLLBACK')
        blocker.close()
    await user.open('/history')
    await user.should_see('1 analyses')
    await user.open(kept)
    await user.should_see('1 lines, 1 events')


async def test_the_api_answers_503_while_the_database_is_locked(
    short_lock_timeout: None, user: User, isolated_settings: Path,
) -> None:
    key = new_key('dev@example.com')
    blocker = sqlite3.connect(isolated_settings / 'logsentry.db', isolation_level=None)
    blocker.execute('BEGIN EXCLUSIVE')
    try:
        answer = await user.http_client.post('/api/v1/analyses', json={'text': 'ERROR disk full\n'},
                                             headers={'Authorization': f'Bearer {key}'})
    finally:
        blocker.execute('ROLLBACK')
        blocker.close()
    assert answer.status_code == 503
    assert answer.json()['detail'].startswith('The database is unavailable or busy right now')
