ALTER TABLE cn_orders ADD CONSTRAINT uq_cn_orders_ref UNIQUE (ref);
