CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX ix_ev_items_name_trgm ON ev_items USING gin (name gin_trgm_ops);
