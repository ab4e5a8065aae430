"""Alembic environment: the app passes its open connection; the `alembic` command uses the configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from services.store.tables import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == 'sqlite',  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_command_line() -> None:
    from services.config import Settings
    from services.store.database import Database

    database = Database(Settings().database_location)
    with database.engine.begin() as connection:
        run(connection)


if context.is_offline_mode():
    raise SystemExit('offline SQL generation is not supported; migrations run on start-up')
if (given := context.config.attributes.get('connection')) is not None:
    run(given)
else:
    run_from_command_line()
