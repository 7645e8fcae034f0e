ALTER TABLE cn_orders DROP CONSTRAINT pk_cn_orders;
