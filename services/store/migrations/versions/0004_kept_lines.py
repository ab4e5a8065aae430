"""The lines an analysis keeps around its groups' occurrences, once per analysis in a column of their own.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Analyses saved before keep their lines in their groups, which still read: nothing to move.
    with op.batch_alter_table('analyses') as batch:
        batch.add_column(sa.Column('kept_lines', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('analyses') as batch:
        batch.drop_column('kept_lines')
