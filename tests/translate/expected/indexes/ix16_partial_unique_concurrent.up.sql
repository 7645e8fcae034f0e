UPDATE ix_items SET email = NULL WHERE email = '';

COMMIT;

CREATE UNIQUE INDEX CONCURRENTLY uq_ix_items_name_active ON ix_items (name) WHERE active AND email IS NOT NULL;

BEGIN;

UPDATE ix_items SET status = 'indexed';
