ALTER TABLE cn_orders DROP CONSTRAINT uq_cn_orders_ref;
