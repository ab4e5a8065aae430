"""The data-layer tests run once on SQLite and once on PostgreSQL (when LOGSENTRY_TEST_POSTGRES_URL is given)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from services.store.database import Database, open_database
from services.store.tables import Base

POSTGRES_URL_VARIABLE = 'LOGSENTRY_TEST_POSTGRES_URL'


@pytest.fixture(scope='session')
def postgres_url() -> Iterator[str]:
    """A database of its own on the test server, migrated once; each test empties the tables."""
    with scratch_postgres_database() as url:
        open_database(url).dispose()
        yield url


@contextmanager
def scratch_postgres_database() -> Iterator[str]:
    """An empty database of its own on the test server, dropped afterwards: other test runs may share the server."""
    server_url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not server_url:
        pytest.skip(f'{POSTGRES_URL_VARIABLE} is not set, so the PostgreSQL variants do not run')
    name = f'logsentry_test_{secrets.token_hex(6)}'
    admin = create_engine(server_url, isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE {name}'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=['sqlite', 'postgresql'])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == 'sqlite':
        database = open_database(f'sqlite:///{tmp_path / "test.db"}')
    else:
        database = Database(request.getfixturevalue('postgres_url'))
        _empty(database)
    yield database
    database.dispose()


def _empty(database: Database) -> None:
    tables = ', '.join(table.name for table in Base.metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f'TRUNCATE {tables} RESTART IDENTITY CASCADE'))
