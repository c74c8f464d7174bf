"""Issued documents (notices, revised notices, bulletins) with per-year numbers; cycles' appeal windows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 12:36:34.416352
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_document_counters'))
    )
    op.create_table('documents',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('doc_year', sa.Integer(), nullable=False),
    sa.Column('doc_seq', sa.Integer(), nullable=False),
    sa.Column('doc_number', sa.String(length=64), nullable=False),
    sa.Column('verification_code', sa.String(length=20), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('revised_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.CheckConstraint("kind IN ('notice', 'revised_notice', 'bulletin', 'appeal_record')", name=op.f('ck_documents_kind_known')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycles.id'], name=op.f('fk_documents_cycle_id_cycles')),
    sa.ForeignKeyConstraint(['replaces_id'], ['documents.id'], name=op.f('fk_documents_replaces_id_documents')),
    sa.ForeignKeyConstraint(['revised_by_id'], ['documents.id'], name=op.f('fk_documents_revised_by_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('doc_number', name=op.f('uq_documents_doc_number')),
    sa.UniqueConstraint('doc_year', 'doc_seq', name='uq_documents_number'),
    sa.UniqueConstraint('verification_code', name='uq_documents_verification_code')
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index('ix_documents_cycle_company', ['cycle_id', 'credit_code'], unique=False)

    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_window_days', sa.Integer(), server_default='5', nullable=False))
        batch_op.add_column(sa.Column('appeal_deadline', sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('appeal_deadline')
        batch_op.drop_column('appeal_window_days')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index('ix_documents_cycle_company')

    op.drop_table('documents')
    op.drop_table('document_counters')
