DROP INDEX ix_items_email_lower;
