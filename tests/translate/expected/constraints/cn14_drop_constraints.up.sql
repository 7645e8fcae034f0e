ALTER TABLE cn_orders DROP CONSTRAINT uq_cn_orders_ref;

ALTER TABLE cn_orders DROP CONSTRAINT ck_cn_orders_amount;
