CREATE UNIQUE INDEX ix_items_email_nnd ON ix_items (email) NULLS NOT DISTINCT;

CREATE UNIQUE INDEX ix_items_status_nd ON ix_items (status) INCLUDE (name) NULLS DISTINCT;

ALTER TABLE ix_items ADD CONSTRAINT uq_items_name_status UNIQUE NULLS NOT DISTINCT (name, status);

CREATE TABLE ix_nnd (
    id SERIAL NOT NULL, 
    a INTEGER, 
    b INTEGER, 
    PRIMARY KEY (id), 
    CONSTRAINT uq_nnd_a_b UNIQUE NULLS NOT DISTINCT (a, b), 
    CONSTRAINT uq_nnd_b UNIQUE (b)
);

CREATE UNIQUE INDEX ix_nnd_a ON ix_nnd (a) NULLS NOT DISTINCT;

