ALTER TABLE cn_orders ADD CONSTRAINT ck_cn_orders_region CHECK (region IN ('de', 'fr', 'it'));
