"""An analysis' timeline and segments in a column of their own, so that listing analyses does not load them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Analyses saved before keep theirs in the summary, which still reads: nothing to move.
    with op.batch_alter_table('analyses') as batch:
        batch.add_column(sa.Column('timeline', sa.JSON(), nullable=True))


def downgrade() -> None:
    # Back into the summary first, where the earlier code reads them.
    analyses = sa.table('analyses', sa.column('id', sa.String), sa.column('summary', sa.JSON),
                        sa.column('timeline', sa.JSON))
    connection = op.get_bind()
    for row in connection.execute(sa.select(analyses).where(analyses.c.timeline.is_not(None))):
        connection.execute(analyses.update().where(analyses.c.id == row.id)
                           .values(summary={**row.summary, **row.timeline}))
    with op.batch_alter_table('analyses') as batch:
        batch.drop_column('timeline')
