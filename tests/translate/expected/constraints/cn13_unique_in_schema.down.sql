ALTER TABLE cns.cn_audit DROP CONSTRAINT ck_cn_audit_order;

ALTER TABLE cns.cn_audit DROP CONSTRAINT uq_cn_audit_order;
