"""index audit log concurrently

The audit log is large in production: build the index without blocking
writes.  CREATE INDEX CONCURRENTLY cannot run inside a transaction, hence the
autocommit block (env.py runs one transaction per migration, so the commit
the block performs only covers this step's own, empty, transaction).

Revision ID: 98bbdfd0dd06
Revises: 34b8335c5eaf
Create Date: 2026-04-08 08:55:02.640118

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '98bbdfd0dd06'
down_revision = '34b8335c5eaf'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index('ix_audit_log_account_id_created_at', 'audit_log',
                        ['account_id', 'created_at'], unique=False,
                        postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index('ix_audit_log_account_id_created_at', table_name='audit_log',
                      postgresql_concurrently=True)
