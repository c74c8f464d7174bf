"""What a company contests in a record of its appeal: the record's data, or its attribution to the company
("该记录发生时本企业已不再服务该小区"); NULL for appeals filed before (the data).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 04:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appeal_items') as batch:
        batch.add_column(sa.Column('contest', sa.String(length=16), nullable=True))
        batch.create_check_constraint('contest_known', "contest IS NULL OR contest IN ('data', 'attribution')")


def downgrade() -> None:
    with op.batch_alter_table('appeal_items') as batch:
        batch.drop_constraint('contest_known', type_='check')
        batch.drop_column('contest')
