ALTER TABLE cn_lines DROP CONSTRAINT fk_cn_lines_user2;
