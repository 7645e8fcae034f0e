CREATE INDEX ix_items_email_incl ON ix_items (email) INCLUDE (status, name);
