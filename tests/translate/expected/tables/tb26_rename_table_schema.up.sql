ALTER TABLE tbs.accounts RENAME TO customer_accounts;
