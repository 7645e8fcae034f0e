DROP INDEX ix_tb_invoices_customer_id;

DROP TABLE tb_invoices;
