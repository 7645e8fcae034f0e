COMMIT;

CREATE INDEX CONCURRENTLY ix_ev_items_beta_cc ON ev_items (beta);

BEGIN;
