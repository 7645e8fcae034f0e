UPDATE ev_items SET rank = 0 WHERE rank IS NULL;

COMMIT;

CREATE INDEX CONCURRENTLY ix_ev_items_rank ON ev_items (rank);

BEGIN;
