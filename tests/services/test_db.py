from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from services.analyses import Owner, get_analysis, list_analyses, save_analysis
from services.db import Database, DatabaseUnavailable, open_database
from services.models import Base

from .test_analyses import analyzed

OWNER = Owner(guest_id='browser-1')


def test_the_migrations_build_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_again_changes_nothing(database: Database) -> None:
    save_analysis(database, owner=OWNER, file_name='app.log', size_bytes=1, analysis=analyzed())
    database.migrate()
    assert len(list_analyses(database, owner=OWNER)) == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f'sqlite:///{tmp_path / "app.db"}')
    with database.read() as session:
        assert session.execute(text('PRAGMA journal_mode')).scalar() == 'wal'
        assert session.execute(text('PRAGMA foreign_keys')).scalar() == 1


def test_a_locked_database_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / 'app.db'
    database = open_database(f'sqlite:///{path}', lock_timeout=0.2)
    kept = save_analysis(database, owner=OWNER, file_name='kept.log', size_bytes=1, analysis=analyzed())
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute('BEGIN EXCLUSIVE')
    try:
        with pytest.raises(DatabaseUnavailable, match='unavailable or busy'):
            save_analysis(database, owner=OWNER, file_name='lost.log', size_bytes=1, analysis=analyzed())
    finally:
        blocker.execute('ROLLBACK')
        blocker.close()
    assert get_analysis(database, analysis_id=kept.id, owner=OWNER) is not None
    assert [record.file_name for record in list_analyses(database, owner=OWNER)] == ['kept.log']


def test_a_database_that_is_down_is_a_clear_error() -> None:
    # Nothing listens on port 1; the connection is refused at once.
    with pytest.raises(DatabaseUnavailable, match='unavailable or busy'):
        open_database('postgresql+psycopg://nobody@127.0.0.1:1/none')
