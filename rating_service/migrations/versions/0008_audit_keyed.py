"""Keyed audit log: every entry and the head carry the id of the audit key and an HMAC under it.

Entries written before this revision are keyed here, with the configured audit key (RATING_AUDIT_KEY_FILE or
RATING_AUDIT_KEY; in development and test a key file is created on first use), and the columns are then made
NOT NULL: from now on verify requires a valid MAC on every entry, so stripping MACs cannot pass for "an old
entry". The MAC covers the entry's stored hash, so an entry that was already altered before this revision still
fails its hash check. The head is then anchored outside the database (RATING_AUDIT_ANCHOR_FILE).

Run it as the role that owns the tables: the application role has no UPDATE on audit_log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:00:00
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)
BATCH = 5_000


def upgrade() -> None:
    for table in ('audit_log', 'audit_head'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('key_id', sa.String(length=16), nullable=True))
            batch_op.add_column(sa.Column('mac', sa.String(length=64), nullable=True))

    _key_existing_rows()

    for table in ('audit_log', 'audit_head'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('key_id', existing_type=sa.String(length=16), nullable=False)
            batch_op.alter_column('mac', existing_type=sa.String(length=64), nullable=False)


def downgrade() -> None:
    for table in ('audit_head', 'audit_log'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('mac')
            batch_op.drop_column('key_id')


def _key_existing_rows() -> None:
    bind = op.get_bind()
    log_table = sa.table('audit_log', sa.column('seq', sa.Integer), sa.column('hash', sa.String),
                         sa.column('key_id', sa.String), sa.column('mac', sa.String))
    head_table = sa.table('audit_head', sa.column('id', sa.Integer), sa.column('seq', sa.Integer),
                          sa.column('hash', sa.String), sa.column('key_id', sa.String), sa.column('mac', sa.String))
    head = bind.execute(sa.select(head_table.c.seq, head_table.c.hash)).first()
    has_entries = bind.execute(sa.select(log_table.c.seq).limit(1)).first() is not None
    if head is None and not has_entries:
        return  # a new database: nothing to key, and no key needed yet

    # Imported here: a new database must migrate without a key being configured or created.
    from rating_service.audit import anchors, keys
    from rating_service.settings import get_settings

    key = keys.keyring().signing
    update = (sa.update(log_table).where(log_table.c.seq == sa.bindparam('b_seq'))
              .values(key_id=sa.bindparam('b_key_id'), mac=sa.bindparam('b_mac')))
    after, last = 0, None
    while True:
        rows = bind.execute(sa.select(log_table.c.seq, log_table.c.hash).where(log_table.c.seq > after)
                            .order_by(log_table.c.seq).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(update, [{'b_seq': r.seq, 'b_key_id': key.key_id, 'b_mac': keys.entry_mac(key, r.hash)}
                              for r in rows])
        after, last = rows[-1].seq, rows[-1]
    if head is None:
        return  # entries without a head: verify reports it; nothing trustworthy to anchor
    bind.execute(sa.update(head_table).where(head_table.c.id == 1)
                 .values(key_id=key.key_id, mac=keys.head_mac(key, head.seq, head.hash)))
    if last is None or (last.seq, last.hash) != (head.seq, head.hash):
        log.warning("the audit head (entry %s) does not match the last entry: not anchored; run `rating audit "
                    "verify`", head.seq)
        return
    path = get_settings().audit_anchor_file
    try:
        anchors.write(path, anchors.make(key=key, seq=head.seq, digest=head.hash))
    except OSError:
        log.warning("the audit head (entry %s) could not be anchored in %s: run `rating audit anchor`",
                    head.seq, path, exc_info=True)
