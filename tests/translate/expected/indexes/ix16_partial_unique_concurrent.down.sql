COMMIT;

DROP INDEX CONCURRENTLY uq_ix_items_name_active;

BEGIN;

UPDATE ix_items SET status = NULL WHERE status = 'indexed';
