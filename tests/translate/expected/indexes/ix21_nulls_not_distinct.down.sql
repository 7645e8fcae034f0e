DROP TABLE ix_nnd;

ALTER TABLE ix_items DROP CONSTRAINT uq_items_name_status;

DROP INDEX ix_items_status_nd;

DROP INDEX ix_items_email_nnd;

