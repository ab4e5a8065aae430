"""Users, analyses, feedback, share links, API keys, the answer cache and guest quota.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('firebase_uid', sa.String(length=128), nullable=True),
        _when('created_at'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('email', name=op.f('uq_users_email')),
        sa.UniqueConstraint('firebase_uid', name=op.f('uq_users_firebase_uid')),
    )
    op.create_table(
        'analyses',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('owner_user_id', sa.Integer(), nullable=True),
        sa.Column('guest_id', sa.String(length=64), nullable=True),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('size_bytes', sa.BigInteger(), nullable=False),
        sa.Column('formats', sa.JSON(), nullable=False),
        sa.Column('summary', sa.JSON(), nullable=False),
        sa.Column('groups', sa.JSON(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('parse_seconds', sa.Float(), nullable=False),
        sa.Column('raw_log', sa.Text(), nullable=True),
        sa.Column('digest', sa.Text(), nullable=True),
        sa.Column('diagnosis_group_id', sa.Integer(), nullable=True),
        sa.Column('diagnosis_markdown', sa.Text(), nullable=True),
        sa.Column('model', sa.String(length=100), nullable=True),
        sa.Column('diagnosis_seconds', sa.Float(), nullable=True),
        sa.Column('input_tokens', sa.Integer(), nullable=False),
        sa.Column('output_tokens', sa.Integer(), nullable=False),
        _when('diagnosed_at', nullable=True),
        _when('created_at'),
        sa.ForeignKeyConstraint(['owner_user_id'], ['users.id'], name=op.f('fk_analyses_owner_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_analyses')),
    )
    op.create_index('ix_analyses_guest_created', 'analyses', ['guest_id', 'created_at'])
    op.create_index('ix_analyses_owner_created', 'analyses', ['owner_user_id', 'created_at'])
    op.create_table(
        'feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('analysis_id', sa.String(length=32), nullable=False),
        sa.Column('voter', sa.String(length=80), nullable=False),
        sa.Column('helpful', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        _when('created_at'),
        sa.ForeignKeyConstraint(['analysis_id'], ['analyses.id'], name=op.f('fk_feedback_analysis_id_analyses'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
        sa.UniqueConstraint('analysis_id', 'voter', name='uq_feedback_analysis_voter'),
    )
    op.create_table(
        'share_links',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('analysis_id', sa.String(length=32), nullable=False),
        _when('created_at'),
        _when('revoked_at', nullable=True),
        sa.ForeignKeyConstraint(['analysis_id'], ['analyses.id'],
                                name=op.f('fk_share_links_analysis_id_analyses'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_share_links')),
    )
    op.create_index(op.f('ix_share_links_analysis_id'), 'share_links', ['analysis_id'])
    op.create_table(
        'api_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        _when('created_at'),
        _when('last_used_at', nullable=True),
        _when('revoked_at', nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_keys_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_keys')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_api_keys_key_hash')),
    )
    op.create_index(op.f('ix_api_keys_user_id'), 'api_keys', ['user_id'])
    op.create_table(
        'answer_cache',
        sa.Column('key', sa.String(length=128), nullable=False),
        sa.Column('markdown', sa.Text(), nullable=False),
        sa.Column('model', sa.String(length=100), nullable=False),
        sa.Column('signature_id', sa.String(length=100), nullable=True),
        sa.Column('input_tokens', sa.Integer(), nullable=False),
        sa.Column('output_tokens', sa.Integer(), nullable=False),
        _when('created_at'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_answer_cache')),
    )
    op.create_table(
        'quota_counters',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('used', sa.Integer(), nullable=False),
        _when('updated_at'),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_quota_counters')),
    )
    op.create_table(
        'quota_reservations',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('counter_keys', sa.JSON(), nullable=False),
        _when('created_at'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_reservations')),
    )
    op.create_index(op.f('ix_quota_reservations_created_at'), 'quota_reservations', ['created_at'])


def downgrade() -> None:
    for table in ('quota_reservations', 'quota_counters', 'answer_cache', 'api_keys', 'share_links', 'feedback',
                  'analyses', 'users'):
        op.drop_table(table)
