"""merge billing and search

Revision ID: 8c64e2a497d9
Revises: 8009cf9a4d4b, f1322428ec3c
Create Date: 2026-06-10 16:22:41.445112

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c64e2a497d9'
down_revision = ('8009cf9a4d4b', 'f1322428ec3c')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
