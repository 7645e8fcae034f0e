ALTER TABLE cn_orders DROP CONSTRAINT fk_cn_orders_user;
