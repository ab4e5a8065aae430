from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text

from services.accounts.interface import delete_user_data
from services.identity import Caller
from services.store.database import Database, DatabaseUnavailable, open_database
from services.store.saved_analyses import get_analysis, list_analyses, save_analysis
from services.store.tables import Base, utcnow
from tests.services.conftest import scratch_postgres_database

from .test_saved_analyses import add_user, analyzed

OWNER = Caller(guest_id='browser-1')


def test_the_migrations_build_exactly_the_models(database: Database) -> None:
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrating_again_changes_nothing(database: Database) -> None:
    save_analysis(database, owner=OWNER, file_name='app.log', size_bytes=1, analysis=analyzed())
    database.migrate()
    assert len(list_analyses(database, owner=OWNER)) == 1


@pytest.fixture(params=['sqlite', 'postgresql'])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    with contextlib.ExitStack() as stack:
        url = (f'sqlite:///{tmp_path / "old.db"}' if request.param == 'sqlite'
               else stack.enter_context(scratch_postgres_database()))
        database = Database(url)
        stack.callback(database.dispose)
        yield database


def test_upgrading_an_existing_database_keeps_every_row_and_never_reuses_a_user_id(empty_database: Database) -> None:
    database = empty_database
    with database.engine.begin() as connection:
        config = Config()
        config.set_main_option('script_location', 'services.store:migrations')
        config.attributes['connection'] = connection
        command.upgrade(config, '0001')  # the schema as the first release left it
        for email in ('a@example.com', 'b@example.com'):  # ids 1 and 2, from the database as the app gets them
            connection.execute(text('INSERT INTO users (email, created_at) VALUES (:email, :now)'),
                               {'email': email, 'now': utcnow()})
        connection.execute(text("INSERT INTO api_keys (user_id, name, prefix, key_hash, created_at) "
                                "VALUES (2, 'ci', 'lsk_x', 'hash', :now)"), {'now': utcnow()})
        # Written as the first release wrote it: today's model has columns that schema lacks.
        connection.execute(text(
            "INSERT INTO analyses (id, owner_user_id, file_name, size_bytes, formats, summary, groups, search_text, "
            "parse_seconds, input_tokens, output_tokens, created_at) "
            "VALUES ('old', 2, 'app.log', 1, '{}', '{}', '[]', '', 0, 0, 0, :now)"), {'now': utcnow()})
    database.migrate()
    with database.read() as session:
        assert session.execute(text('SELECT id, email, session_version FROM users ORDER BY id')).all() == [
            (1, 'a@example.com', 0), (2, 'b@example.com', 0)]
        assert session.execute(text('SELECT user_id FROM api_keys')).scalars().all() == [2]
    with database.read() as session:
        assert session.execute(text('SELECT owner_user_id FROM analyses')).scalars().all() == [2]
    delete_user_data(database, 2)
    assert add_user(database, 'c@example.com') == 3  # not 2 again


def test_stepping_back_before_the_timeline_column_moves_the_timeline_into_the_summary(
    empty_database: Database,
) -> None:
    database = empty_database
    database.migrate()
    saved = save_analysis(database, owner=OWNER, file_name='app.log', size_bytes=1, analysis=analyzed())
    with database.engine.begin() as connection:
        config = Config()
        config.set_main_option('script_location', 'services.store:migrations')
        config.attributes['connection'] = connection
        command.downgrade(config, '0004')
    with database.read() as session:
        summary = session.execute(text('SELECT summary FROM analyses')).scalar_one()
    summary = json.loads(summary) if isinstance(summary, str) else summary
    assert summary['timeline'] == saved.timeline['timeline'] and summary['lines'] == saved.summary['lines']


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
