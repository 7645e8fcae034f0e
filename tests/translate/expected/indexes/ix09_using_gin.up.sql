CREATE INDEX ix_items_data_gin ON ix_items USING gin (data);

CREATE INDEX ix_items_tags_gin ON ix_items USING gin (tags);
