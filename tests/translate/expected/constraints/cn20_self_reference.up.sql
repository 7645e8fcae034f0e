ALTER TABLE cn_users ADD COLUMN manager_id INTEGER;

ALTER TABLE cn_users ADD CONSTRAINT fk_cn_users_manager FOREIGN KEY(manager_id) REFERENCES cn_users (id) ON DELETE SET NULL;
