"""The database: engine, sessions, migrations on start-up, and one clear error when it is unreachable."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
LOCK_TIMEOUT_SECONDS = 5.0  # how long a write waits for another writer before giving up
MIGRATION_LOCK_KEY = 0x4C6F6753  # any constant shared by every instance
UNAVAILABLE_MESSAGE = 'The database is unavailable or busy right now; nothing saved was lost. Try again in a moment.'


class DatabaseUnavailable(Exception):
    """The database could not be reached or stayed locked; the message is meant for the person."""

    def __init__(self, reason: str) -> None:
        super().__init__(UNAVAILABLE_MESSAGE)
        self.reason = reason  # the driver's words, for the operator's log


class Database:
    """One engine and its sessions. `read()` for queries, `write()` for changes (committed on success)."""

    def __init__(self, url: str, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> None:
        self.url = url
        self.engine = _create_engine(url, lock_timeout=lock_timeout)
        self.is_sqlite = self.engine.dialect.name == 'sqlite'
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite takes its write lock when the transaction starts, so a read-then-write never fails half-way.
        writer = self.engine.execution_options(sqlite_begin='IMMEDIATE') if self.is_sqlite else self.engine
        self._writers = sessionmaker(writer, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with _unavailable_on_errors(), self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with _unavailable_on_errors(), self._writers() as session, session.begin():
            yield session

    def migrate(self) -> None:
        """Bring the schema up to the newest migration; safe to run on every start."""
        engine = self.engine.execution_options(sqlite_begin='IMMEDIATE') if self.is_sqlite else self.engine
        with (_unavailable_on_errors(), engine.connect() as connection, _foreign_keys_off(connection),
              connection.begin()):
            if connection.dialect.name == 'postgresql':  # two instances starting together migrate one at a time
                connection.execute(text('SELECT pg_advisory_xact_lock(:key)'), {'key': MIGRATION_LOCK_KEY})
            config = Config()
            config.set_main_option('script_location', 'services.store:migrations')
            config.attributes['connection'] = connection
            command.upgrade(config, 'heads')
            if self.is_sqlite and (broken := connection.exec_driver_sql('PRAGMA foreign_key_check').first()):
                raise RuntimeError(f'migration left a row of {broken[0]} pointing nowhere')

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> Database:
    """Connect and migrate; raises DatabaseUnavailable when the database cannot be used."""
    database = Database(url, lock_timeout=lock_timeout)
    database.migrate()
    return database


def insert_or_ignore(session: Session, model: type[Any], values: dict[str, Any]) -> None:
    """INSERT that leaves an existing row with the same key alone (both databases spell it ON CONFLICT)."""
    insert = postgresql.insert if session.get_bind().dialect.name == 'postgresql' else sqlite.insert
    session.execute(insert(model).values(**values).on_conflict_do_nothing())


def _create_engine(url: str, *, lock_timeout: float) -> Engine:
    if url.startswith('sqlite'):
        engine = create_engine(url, connect_args={'timeout': lock_timeout})
        _sqlite_transactions(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if url.startswith('postgresql'):
        connect_args = {'connect_timeout': 5, 'options': f'-c lock_timeout={int(lock_timeout * 1000)}'}
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_transactions(engine: Engine) -> None:
    # pysqlite begins transactions lazily and never for reads; SQLAlchemy's documented recipe takes over BEGIN
    # so reads see one snapshot and writers can ask for the lock up front (BEGIN IMMEDIATE).
    @event.listens_for(engine, 'connect')
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute('PRAGMA journal_mode=WAL')
        cursor.execute('PRAGMA foreign_keys=ON')
        cursor.close()

    @event.listens_for(engine, 'begin')
    def _begin(connection: Any) -> None:
        mode = connection.get_execution_options().get('sqlite_begin', '')
        connection.exec_driver_sql(f'BEGIN {mode}'.strip())


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite alters a table by rebuilding it, and dropping the old one would cascade-delete every row that refers
    to it. SQLite's documented procedure: foreign keys off around the change (outside any transaction, where the
    pragma is ignored), checked with foreign_key_check before it commits."""
    if connection.dialect.name != 'sqlite':
        yield
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        driver.execute('PRAGMA foreign_keys=ON')


@contextmanager
def _unavailable_on_errors() -> Iterator[None]:
    try:
        yield
    except DBAPIError as exc:
        if not isinstance(exc, OperationalError) and not exc.connection_invalidated:
            raise
        reason = (str(exc.orig).strip().splitlines() or ['unknown error'])[0]
        log.warning('database unavailable: %s', reason)
        raise DatabaseUnavailable(reason) from exc
