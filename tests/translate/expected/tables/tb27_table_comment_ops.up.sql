COMMENT ON TABLE tb_serial IS 'serial ids';

COMMENT ON TABLE tbs.customer_accounts IS 'owner''s accounts';
