"""User ids are never reused, and users carry the version of their sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # On SQLite the table is rebuilt as AUTOINCREMENT (ids and rows copied as they are); PostgreSQL's sequence
    # never hands an id out twice already.
    with op.batch_alter_table('users', recreate='always' if _sqlite() else 'auto',
                              table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('users', recreate='always' if _sqlite() else 'auto') as batch:
        batch.drop_column('session_version')


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'
