COMMENT ON TABLE tbs.customer_accounts IS NULL;

COMMENT ON TABLE tb_serial IS NULL;
