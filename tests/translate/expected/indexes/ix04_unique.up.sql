CREATE UNIQUE INDEX uq_ix_items_email ON ix_items (email);
