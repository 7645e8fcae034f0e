-- reason: op.get_bind().commit() fails offline (the mock connection has no commit(), in
-- SQLAlchemy 1.4 and 2.x), so projects using it never run --sql. Online it commits what is
-- open, which the autocommit block does anyway: retort accepts it and emits nothing for it.
-- The expected text is the autocommit block alone, as Alembic renders it (ev13).
-- deliberate: op.get_bind().commit()
-- alembic-1.8.1:
-- error: AttributeError: 'MockConnection' object has no attribute 'commit'
-- expected:
COMMIT;

DROP INDEX CONCURRENTLY ix_ev_items_beta_cc;

BEGIN;
