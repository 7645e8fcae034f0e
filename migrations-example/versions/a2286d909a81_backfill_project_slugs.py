"""backfill project slugs

Adds projects.slug, fills it for existing rows from the name, then makes it
required and unique per account.

Revision ID: a2286d909a81
Revises: f3c513eae268
Create Date: 2026-05-06 12:12:09.558761

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2286d909a81'
down_revision = 'f3c513eae268'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('projects', sa.Column('slug', sa.String(length=80), nullable=True))
    # data fix: derive a slug from the name, suffixed with the id so that two
    # projects of one account with the same name still get distinct slugs
    op.execute(
        "UPDATE projects "
        "SET slug = trim(both '-' from lower(regexp_replace(name, '[^A-Za-z0-9]+', '-', 'g'))) "
        "|| '-' || id "
        "WHERE slug IS NULL"
    )
    op.alter_column('projects', 'slug', existing_type=sa.String(length=80), nullable=False)
    op.create_unique_constraint('uq_projects_account_id_slug', 'projects', ['account_id', 'slug'])


def downgrade() -> None:
    op.drop_constraint('uq_projects_account_id_slug', 'projects', type_='unique')
    op.drop_column('projects', 'slug')
