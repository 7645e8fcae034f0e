ALTER TABLE cns.cn_audit ADD CONSTRAINT uq_cn_audit_order UNIQUE (order_id);

ALTER TABLE cns.cn_audit ADD CONSTRAINT ck_cn_audit_order CHECK (order_id > 0);
