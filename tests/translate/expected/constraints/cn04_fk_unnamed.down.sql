ALTER TABLE cn_orders DROP CONSTRAINT cn_orders_user_id_fkey;
