"""create projects table

Revision ID: 2866300ac1e4
Revises: 136886b49939
Create Date: 2026-03-04 16:02:48.907113

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2866300ac1e4'
down_revision = '136886b49939'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('owner_id', sa.BigInteger(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('budget', sa.Numeric(precision=12, scale=2), nullable=True, comment='Planned spend in the account currency'),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('budget >= 0', name='ck_projects_budget_nonnegative'),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name='fk_projects_account_id_accounts', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name='fk_projects_owner_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    # the project list only ever shows live projects: keep archived ones out of the index
    op.create_index('ix_projects_account_id_live', 'projects', ['account_id'], unique=False,
                    postgresql_where=sa.text('NOT archived'))


def downgrade() -> None:
    op.drop_index('ix_projects_account_id_live', table_name='projects')
    op.drop_table('projects')
