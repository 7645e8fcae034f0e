ALTER TABLE cn_orders ADD UNIQUE (ref, amount);
