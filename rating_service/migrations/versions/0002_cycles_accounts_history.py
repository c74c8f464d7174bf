"""Rating cycles, stored ratings, jobs; users and tokens; history tables for snapshot reads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 09:39:29.856054
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commendations_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('awarded_on', sa.Date(), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('level', sa.String(length=16), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_commendations_history'))
    )
    with op.batch_alter_table('commendations_history', schema=None) as batch_op:
        batch_op.create_index('ix_commendations_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('communities_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('neighborhood', sa.String(length=200), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('floor_area_m2', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_communities_history'))
    )
    with op.batch_alter_table('communities_history', schema=None) as batch_op:
        batch_op.create_index('ix_communities_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('companies_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('legal_representative', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_companies_history'))
    )
    with op.batch_alter_table('companies_history', schema=None) as batch_op:
        batch_op.create_index('ix_companies_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('complaints_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('channel', sa.String(length=50), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('substantiated', sa.Boolean(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('satisfaction', sa.String(length=32), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_complaints_history'))
    )
    with op.batch_alter_table('complaints_history', schema=None) as batch_op:
        batch_op.create_index('ix_complaints_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('contracts_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.Integer(), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_contracts_history'))
    )
    with op.batch_alter_table('contracts_history', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('cycles',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('methodology_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('computed_by', sa.String(length=100), nullable=True),
    sa.Column('compute_count', sa.Integer(), nullable=False),
    sa.Column('publicized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('publicized_by', sa.String(length=100), nullable=True),
    sa.Column('notice_date', sa.Date(), nullable=True),
    sa.Column('finalized_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finalized_by', sa.String(length=100), nullable=True),
    sa.Column('snapshot_batch', sa.Integer(), nullable=True),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=True),
    sa.Column('constants', sa.Text(), nullable=True),
    sa.Column('quality', sa.Text(), nullable=True),
    sa.Column('rated', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'computed', 'publicized', 'finalized')", name=op.f('ck_cycles_status_known')),
    sa.CheckConstraint('period_end >= period_start', name=op.f('ck_cycles_period_ordered')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycles')),
    sa.UniqueConstraint('name', name=op.f('uq_cycles_name'))
    )
    op.create_table('fee_violations_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('violation_type', sa.String(length=32), nullable=True),
    sa.Column('amount_yuan', sa.Numeric(precision=16, scale=2), nullable=True),
    sa.Column('refunded', sa.Boolean(), nullable=True),
    sa.Column('document_no', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_fee_violations_history'))
    )
    with op.batch_alter_table('fee_violations_history', schema=None) as batch_op:
        batch_op.create_index('ix_fee_violations_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('inspections_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('inspected_on', sa.Date(), nullable=True),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('department', sa.String(length=50), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('severity', sa.String(length=16), nullable=True),
    sa.Column('rectify_by', sa.Date(), nullable=True),
    sa.Column('rectified_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_inspections_history'))
    )
    with op.batch_alter_table('inspections_history', schema=None) as batch_op:
        batch_op.create_index('ix_inspections_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('major_events_history',
    sa.Column('history_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=True),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('document_no', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('history_id', name=op.f('pk_major_events_history'))
    )
    with op.batch_alter_table('major_events_history', schema=None) as batch_op:
        batch_op.create_index('ix_major_events_history_superseded_by', ['superseded_by'], unique=False)

    op.create_table('cycle_unattributed',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_cycle_unattributed_cycle_id_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cycle_unattributed'))
    )
    with op.batch_alter_table('cycle_unattributed', schema=None) as batch_op:
        batch_op.create_index('ix_cycle_unattributed_cycle', ['cycle_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=True),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f('ck_jobs_status_known')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_jobs_cycle_id_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    op.create_table('ratings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('grade', sa.String(length=8), nullable=False),
    sa.Column('band_grade', sa.String(length=8), nullable=False),
    sa.Column('bonus', sa.Float(), nullable=False),
    sa.Column('veto', sa.Boolean(), nullable=False),
    sa.Column('provisional', sa.Boolean(), nullable=False),
    sa.Column('red_list', sa.Boolean(), nullable=False),
    sa.Column('black_list', sa.Boolean(), nullable=False),
    sa.Column('exposure', sa.Float(), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('methodology_id', sa.String(length=64), nullable=False),
    sa.Column('snapshot_hash', sa.String(length=64), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_ratings_cycle_id_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('cycle_id', 'credit_code', name='uq_ratings_cycle_company')
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_cycle_grade', ['cycle_id', 'grade'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(role = 'company') = (credit_code IS NOT NULL)", name=op.f('ck_users_company_bound')),
    sa.CheckConstraint("role IN ('admin', 'officer', 'company')", name=op.f('ck_users_role_known')),
    sa.ForeignKeyConstraint(['credit_code'], ['companies.credit_code'], name=op.f('fk_users_credit_code_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('auth_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('session', 'api')", name=op.f('ck_auth_tokens_kind_known')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_auth_tokens_token_hash'))
    )
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_tokens_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('auth_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_tokens_user_id'))

    op.drop_table('auth_tokens')
    op.drop_table('users')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_cycle_grade')

    op.drop_table('ratings')
    op.drop_table('jobs')
    with op.batch_alter_table('cycle_unattributed', schema=None) as batch_op:
        batch_op.drop_index('ix_cycle_unattributed_cycle')

    op.drop_table('cycle_unattributed')
    with op.batch_alter_table('major_events_history', schema=None) as batch_op:
        batch_op.drop_index('ix_major_events_history_superseded_by')

    op.drop_table('major_events_history')
    with op.batch_alter_table('inspections_history', schema=None) as batch_op:
        batch_op.drop_index('ix_inspections_history_superseded_by')

    op.drop_table('inspections_history')
    with op.batch_alter_table('fee_violations_history', schema=None) as batch_op:
        batch_op.drop_index('ix_fee_violations_history_superseded_by')

    op.drop_table('fee_violations_history')
    op.drop_table('cycles')
    with op.batch_alter_table('contracts_history', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_history_superseded_by')

    op.drop_table('contracts_history')
    with op.batch_alter_table('complaints_history', schema=None) as batch_op:
        batch_op.drop_index('ix_complaints_history_superseded_by')

    op.drop_table('complaints_history')
    with op.batch_alter_table('companies_history', schema=None) as batch_op:
        batch_op.drop_index('ix_companies_history_superseded_by')

    op.drop_table('companies_history')
    with op.batch_alter_table('communities_history', schema=None) as batch_op:
        batch_op.drop_index('ix_communities_history_superseded_by')

    op.drop_table('communities_history')
    with op.batch_alter_table('commendations_history', schema=None) as batch_op:
        batch_op.drop_index('ix_commendations_history_superseded_by')

    op.drop_table('commendations_history')
