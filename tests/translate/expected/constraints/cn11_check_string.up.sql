ALTER TABLE cn_orders ADD CONSTRAINT ck_cn_orders_amount CHECK (amount >= 0);
