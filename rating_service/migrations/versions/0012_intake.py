"""Intake: the community directory's names (community_names), tickets and patrol findings waiting for review
(intake_items), triage models, the systems that push through the intake API and the raw exports' column mappings.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 11:11:02.714005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('intake_mappings',
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('hotline', 'patrol')", name=op.f('ck_intake_mappings_kind_known')),
    sa.PrimaryKeyConstraint('kind', name=op.f('pk_intake_mappings'))
    )
    op.create_table('intake_systems',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_prefix', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_by', sa.String(length=100), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_systems')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_intake_systems_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_intake_systems_name'))
    )
    op.create_table('triage_models',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('trained_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trained_by', sa.String(length=100), nullable=False),
    sa.Column('samples', sa.Integer(), nullable=False),
    sa.Column('metrics', sa.Text(), nullable=False),
    sa.Column('model', sa.LargeBinary(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_triage_models'))
    )
    op.create_table('community_names',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('added_by', sa.String(length=100), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('alias', 'former', 'address', 'town')", name=op.f('ck_community_names_kind_known')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.community_id'], name=op.f('fk_community_names_community_id_communities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_names')),
    sa.UniqueConstraint('community_id', 'kind', 'text', name='uq_community_names_entry')
    )
    with op.batch_alter_table('community_names', schema=None) as batch_op:
        batch_op.create_index('ix_community_names_community_id', ['community_id'], unique=False)

    op.create_table('intake_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('external_no', sa.String(length=64), nullable=False),
    sa.Column('content_sha', sa.String(length=64), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('place_text', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('fields', sa.Text(), nullable=False),
    sa.Column('redactions', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('system_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('match_status', sa.String(length=16), nullable=True),
    sa.Column('match_community_id', sa.String(length=64), nullable=True),
    sa.Column('match_score', sa.Float(), nullable=True),
    sa.Column('match_rule', sa.String(length=32), nullable=True),
    sa.Column('match_alternatives', sa.Text(), nullable=False),
    sa.Column('model_id', sa.Integer(), nullable=True),
    sa.Column('category_suggested', sa.String(length=100), nullable=True),
    sa.Column('category_probability', sa.Float(), nullable=True),
    sa.Column('relevant_probability', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('community_id', sa.String(length=64), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('duplicate_of', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('record_batch_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('hotline', 'patrol')", name=op.f('ck_intake_items_kind_known')),
    sa.CheckConstraint("match_status IS NULL OR match_status IN ('proposed', 'review', 'tie', 'none')", name=op.f('ck_intake_items_match_status_known')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'not_property', 'duplicate')", name=op.f('ck_intake_items_status_known')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_intake_items_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.community_id'], name=op.f('fk_intake_items_community_id_communities')),
    sa.ForeignKeyConstraint(['duplicate_of'], ['intake_items.id'], name=op.f('fk_intake_items_duplicate_of_intake_items')),
    sa.ForeignKeyConstraint(['match_community_id'], ['communities.community_id'], name=op.f('fk_intake_items_match_community_id_communities')),
    sa.ForeignKeyConstraint(['model_id'], ['triage_models.id'], name=op.f('fk_intake_items_model_id_triage_models')),
    sa.ForeignKeyConstraint(['record_batch_id'], ['import_batches.id'], name=op.f('fk_intake_items_record_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['system_id'], ['intake_systems.id'], name=op.f('fk_intake_items_system_id_intake_systems')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_items')),
    sa.UniqueConstraint('kind', 'external_no', name='uq_intake_items_number'),
    sa.UniqueConstraint('system_id', 'idempotency_key', name='uq_intake_items_idempotency')
    )
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.create_index('ix_intake_items_received_on', ['received_on'], unique=False)
        batch_op.create_index('ix_intake_items_status', ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('intake_items', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_items_status')
        batch_op.drop_index('ix_intake_items_received_on')

    op.drop_table('intake_items')
    with op.batch_alter_table('community_names', schema=None) as batch_op:
        batch_op.drop_index('ix_community_names_community_id')

    op.drop_table('community_names')
    op.drop_table('triage_models')
    op.drop_table('intake_systems')
    op.drop_table('intake_mappings')
