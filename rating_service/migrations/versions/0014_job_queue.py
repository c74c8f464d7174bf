"""The job queue: batches of a job split across workers (job_batches) and, on PostgreSQL, the queue's own schema
(procrastinate's tables and functions, applied from the installed version's schema.sql; a later version of the
library comes with a migration of ours that applies its migration files).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

PROCRASTINATE_VERSION = "3.10"  # the schema applied here; pyproject.toml pins the library to this minor version


def upgrade() -> None:
    op.create_table('job_batches',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_job_batches_job_id_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'seq', name=op.f('pk_job_batches'))
    )
    if op.get_bind().dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        # The driver reads % as a placeholder (as procrastinate's own apply_schema, they are doubled).
        op.get_bind().exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        bind = op.get_bind()
        for (signature,) in bind.exec_driver_sql(
                "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'").all():
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
        for table in ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs",
                      "procrastinate_workers"):
            bind.exec_driver_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
        for type_ in ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status"):
            bind.exec_driver_sql(f"DROP TYPE IF EXISTS {type_} CASCADE")
    op.drop_table('job_batches')
