ALTER TABLE cn_users DROP CONSTRAINT fk_cn_users_manager;

ALTER TABLE cn_users DROP COLUMN manager_id;
