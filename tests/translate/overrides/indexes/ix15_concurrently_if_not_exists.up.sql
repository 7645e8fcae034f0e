-- reason: Alembic 1.8.1 ignores if_not_exists/if_exists on indexes (SAWarning, alembic.md §5.6);
-- Alembic >= 1.12 passes them to SQLAlchemy's CreateIndex/DropIndex, and retort follows
-- it. The expected text is what SQLAlchemy 1.4 itself renders for
-- CreateIndex(..., if_not_exists=True) / DropIndex(..., if_exists=True).
-- deliberate: IF [NOT] EXISTS
-- alembic-1.8.1:
COMMIT;

CREATE INDEX CONCURRENTLY ix_items_status_cc ON ix_items (status);

BEGIN;

-- expected:
COMMIT;

CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_items_status_cc ON ix_items (status);

BEGIN;
