"""Thinking tokens kept with each diagnosis and cached answer; cached answers under the old keys dropped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None
TABLES = ('analyses', 'answer_cache')


def upgrade() -> None:
    # The old keys named too little of the question (one log's answer was served for another): start afresh.
    op.execute(sa.text('DELETE FROM answer_cache'))
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('thinking_tokens', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('thinking_tokens')
