ALTER TABLE tbs.customer_accounts RENAME TO accounts;
