ALTER TABLE cn_users DROP CONSTRAINT uq_cn_users_email;
