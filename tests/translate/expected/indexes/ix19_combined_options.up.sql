CREATE INDEX ix_items_combo ON ix_items USING btree (status, created_at) INCLUDE (name) WHERE status <> 'archived';
