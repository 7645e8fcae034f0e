DROP INDEX uq_ix_items_email;
