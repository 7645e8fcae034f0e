"""cascade comment deletes

Deleting a task failed while it had comments; make the foreign key cascade.

Revision ID: 728111a24eb7
Revises: 8c64e2a497d9
Create Date: 2026-06-18 11:57:30.044179

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '728111a24eb7'
down_revision = '8c64e2a497d9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint('fk_comments_task_id_tasks', 'comments', type_='foreignkey')
    op.create_foreign_key('fk_comments_task_id_tasks', 'comments', 'tasks',
                          ['task_id'], ['id'], ondelete='CASCADE')


def downgrade() -> None:
    op.drop_constraint('fk_comments_task_id_tasks', 'comments', type_='foreignkey')
    op.create_foreign_key('fk_comments_task_id_tasks', 'comments', 'tasks',
                          ['task_id'], ['id'])
