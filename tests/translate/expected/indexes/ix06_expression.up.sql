CREATE UNIQUE INDEX ix_items_email_lower ON ix_items (lower(email));
