CREATE INDEX ix_items_data_kind ON ix_items USING btree ((data->>'kind'));
