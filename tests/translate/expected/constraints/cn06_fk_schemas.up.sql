ALTER TABLE cns.cn_audit ADD CONSTRAINT fk_cn_audit_order FOREIGN KEY(order_id) REFERENCES public.cn_orders (id) ON DELETE SET NULL;
