ALTER TABLE cn_orders DROP CONSTRAINT cn_orders_ref_amount_key;
