ALTER TABLE cn_orders ADD CONSTRAINT pk_cn_orders PRIMARY KEY (id);
