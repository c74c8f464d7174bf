"""Appeals, the records they contest, and their attachments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:03:39.687690
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('appeals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('filed_by', sa.String(length=100), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('score_before', sa.Float(), nullable=False),
    sa.Column('grade_before', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('decision_reasons', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('score_after', sa.Float(), nullable=True),
    sa.Column('grade_after', sa.String(length=8), nullable=True),
    sa.Column('decision_document_id', sa.Integer(), nullable=True),
    sa.Column('revised_notice_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('upheld', 'partly_upheld', 'rejected')", name=op.f('ck_appeals_outcome_known')),
    sa.CheckConstraint("scope IN ('records', 'calculation')", name=op.f('ck_appeals_scope_known')),
    sa.CheckConstraint("status IN ('pending', 'decided')", name=op.f('ck_appeals_status_known')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_appeals_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['decision_document_id'], ['documents.id'], name=op.f('fk_appeals_decision_document_id_documents')),
    sa.ForeignKeyConstraint(['revised_notice_id'], ['documents.id'], name=op.f('fk_appeals_revised_notice_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index('ix_appeals_cycle_company', ['cycle_id', 'credit_code'], unique=False)
        batch_op.create_index('ix_appeals_status_due', ['status', 'due_on'], unique=False)

    op.create_table('appeal_attachments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_attachments_appeal_id_appeals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_attachments'))
    )
    with op.batch_alter_table('appeal_attachments', schema=None) as batch_op:
        batch_op.create_index('ix_appeal_attachments_appeal', ['appeal_id'], unique=False)

    op.create_table('appeal_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=True),
    sa.Column('amendment', sa.Text(), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.CheckConstraint("action IS NULL OR action IN ('void', 'amend', 'keep')", name=op.f('ck_appeal_items_action_known')),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_appeal_items_appeal_id_appeals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeal_items'))
    )
    with op.batch_alter_table('appeal_items', schema=None) as batch_op:
        batch_op.create_index('ix_appeal_items_appeal', ['appeal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('appeal_items', schema=None) as batch_op:
        batch_op.drop_index('ix_appeal_items_appeal')

    op.drop_table('appeal_items')
    with op.batch_alter_table('appeal_attachments', schema=None) as batch_op:
        batch_op.drop_index('ix_appeal_attachments_appeal')

    op.drop_table('appeal_attachments')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('ix_appeals_status_due')
        batch_op.drop_index('ix_appeals_cycle_company')

    op.drop_table('appeals')
