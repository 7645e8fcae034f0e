"""create saved searches

Revision ID: f1322428ec3c
Revises: a2286d909a81
Create Date: 2026-05-21 10:48:17.925380

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'f1322428ec3c'
down_revision = 'a2286d909a81'
branch_labels = ('search',)
depends_on = None


def upgrade() -> None:
    op.create_table('saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False, index=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('filters', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('is_pinned', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_saved_searches_user_id_users', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'name', name='uq_saved_searches_user_id_name')
    )
    op.create_index('ix_tasks_title_lower', 'tasks', [sa.text('lower(title)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tasks_title_lower', table_name='tasks')
    op.drop_table('saved_searches')
