ALTER TABLE cns.cn_audit DROP CONSTRAINT fk_cn_audit_order;
