ALTER TABLE cn_orders ADD FOREIGN KEY(user_id) REFERENCES cn_users (id);
