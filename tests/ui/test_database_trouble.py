import sqlite3
from pathlib import Path

import pytest
from nicegui.testing import User

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
                              retries=50)
    finally:
        blocker.execute('ROLLBACK')
        blocker.close()
    await user.open('/history')
    await user.should_see('1 analyses')
    await user.open(kept)
    await user.should_see('1 lines, 1 events')
