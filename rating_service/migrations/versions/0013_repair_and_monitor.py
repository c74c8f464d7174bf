"""Credit repair (repair_requests, repair_items, repair_attachments, repair_breaches), the weekly early-warning
summaries (monitor_summaries), and a new document kind: repair_decision.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:26:48.888388
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('monitor_summaries',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('methodology_id', sa.String(length=64), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('generated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitor_summaries')),
    sa.UniqueConstraint('week_start', name=op.f('uq_monitor_summaries_week_start'))
    )
    op.create_table('repair_requests',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('mark', sa.String(length=16), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('methodology_id', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('publicity_from', sa.Date(), nullable=False),
    sa.Column('earliest_on', sa.Date(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filed_by', sa.String(length=100), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('accept_due_on', sa.Date(), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('accepted_by', sa.String(length=100), nullable=True),
    sa.Column('decide_due_on', sa.Date(), nullable=True),
    sa.Column('verification_note', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('refused_stage', sa.String(length=16), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=True),
    sa.Column('refile_from', sa.Date(), nullable=True),
    sa.Column('repaired_on', sa.Date(), nullable=True),
    sa.Column('commitment_until', sa.Date(), nullable=True),
    sa.Column('commitment_signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('commitment_payload', sa.Text(), nullable=False),
    sa.Column('commitment_sha256', sa.String(length=64), nullable=True),
    sa.Column('decision_document_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("mark IN ('black_list', 'veto', 'records')", name=op.f('ck_repair_requests_mark_known')),
    sa.CheckConstraint("refused_stage IS NULL OR refused_stage IN ('acceptance', 'decision')", name=op.f('ck_repair_requests_refused_stage_known')),
    sa.CheckConstraint("severity IN ('general', 'serious')", name=op.f('ck_repair_requests_severity_known')),
    sa.CheckConstraint("status IN ('submitted', 'accepted', 'repaired', 'refused')", name=op.f('ck_repair_requests_status_known')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_repair_requests_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['decision_document_id'], ['documents.id'], name=op.f('fk_repair_requests_decision_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_requests'))
    )
    with op.batch_alter_table('repair_requests', schema=None) as batch_op:
        batch_op.create_index('ix_repair_requests_company', ['credit_code', 'cycle_id'], unique=False)
        batch_op.create_index('ix_repair_requests_status', ['status'], unique=False)

    op.create_table('repair_attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['repair_requests.id'], name=op.f('fk_repair_attachments_request_id_repair_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_attachments'))
    )
    with op.batch_alter_table('repair_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_repair_attachments_request', ['request_id'], unique=False)

    op.create_table('repair_breaches',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('record_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('detected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('flagged', 'confirmed', 'dismissed')", name=op.f('ck_repair_breaches_status_known')),
    sa.ForeignKeyConstraint(['request_id'], ['repair_requests.id'], name=op.f('fk_repair_breaches_request_id_repair_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_breaches'))
    )
    with op.batch_alter_table('repair_breaches', schema=None) as batch_op:
        batch_op.create_index('ix_repair_breaches_request', ['request_id'], unique=False)
        batch_op.create_index('ix_repair_breaches_status', ['status'], unique=False)

    op.create_table('repair_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('subtype', sa.String(length=32), nullable=True),
    sa.Column('record_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['repair_requests.id'], name=op.f('fk_repair_items_request_id_repair_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_repair_items'))
    )
    with op.batch_alter_table('repair_items', schema=None) as batch_op:
        batch_op.create_index('ix_repair_items_record', ['kind', 'record_id'], unique=False)
        batch_op.create_index('ix_repair_items_request', ['request_id'], unique=False)

    with op.batch_alter_table('documents') as batch:
        batch.drop_constraint('kind_known', type_='check')
        batch.create_check_constraint('kind_known', "kind IN ('notice', 'revised_notice', 'bulletin', 'appeal_record', 'repair_decision')")


def downgrade() -> None:
    with op.batch_alter_table('repair_items', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_items_request')
        batch_op.drop_index('ix_repair_items_record')

    op.drop_table('repair_items')
    with op.batch_alter_table('repair_breaches', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_breaches_status')
        batch_op.drop_index('ix_repair_breaches_request')

    op.drop_table('repair_breaches')
    with op.batch_alter_table('repair_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_attachments_request')

    op.drop_table('repair_attachments')
    with op.batch_alter_table('repair_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_repair_requests_status')
        batch_op.drop_index('ix_repair_requests_company')

    op.drop_table('repair_requests')
    op.drop_table('monitor_summaries')
    op.execute("DELETE FROM documents WHERE kind = 'repair_decision'")
    with op.batch_alter_table('documents') as batch:
        batch.drop_constraint('kind_known', type_='check')
        batch.create_check_constraint('kind_known', "kind IN ('notice', 'revised_notice', 'bulletin', 'appeal_record')")
