"""Working-day calendar data entered by administrators; cycles' appeal decision deadlines.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:00:13.120160
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('working', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('calendar_years',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_calendar_years'))
    )
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_days', sa.Integer(), server_default='10', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('cycles', schema=None) as batch_op:
        batch_op.drop_column('decision_days')

    op.drop_table('calendar_years')
    op.drop_table('calendar_days')
