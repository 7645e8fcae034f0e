ALTER TABLE cn_orders DROP CONSTRAINT ck_cn_orders_amount;
