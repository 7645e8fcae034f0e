"""add updated_at triggers

The SQL lives in the sidecar f3c513eae268_add_updated_at_triggers.sql, which
retort runs directly.  Alembic runs this module, which executes the same file
so both tools apply identical SQL.

Revision ID: f3c513eae268
Revises: 98bbdfd0dd06
Create Date: 2026-04-15 17:21:40.385226

"""
import os

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c513eae268'
down_revision = '98bbdfd0dd06'
branch_labels = None
depends_on = None

_SIDECAR = os.path.join(os.path.dirname(__file__), 'f3c513eae268_add_updated_at_triggers.sql')


def _section(name):
    """Return the body of the '-- retort:<name>' section of the sidecar."""
    sections = {}
    current = None
    with open(_SIDECAR, encoding='utf-8') as f:
        for line in f:
            marker = line.strip().split()
            if len(marker) >= 2 and marker[0] == '--' and marker[1].startswith('retort:'):
                current = marker[1][len('retort:'):]
                sections[current] = []
            elif current is not None:
                sections[current].append(line)
    return ''.join(sections[name]).strip()


def _run(name):
    # One execute for the whole section (psycopg2 accepts several statements).
    # sa.text() would read ':word' as a bind parameter: the sidecar has none.
    # The final ';' is dropped because offline mode appends its own.
    op.execute(sa.text(_section(name).rstrip(';')))


def upgrade() -> None:
    _run('upgrade')


def downgrade() -> None:
    _run('downgrade')
