-- reason: postgresql_nulls_not_distinct= (PostgreSQL 15's NULLS [NOT] DISTINCT) exists only
-- in SQLAlchemy >= 2.0: its PostgreSQL dialect renders UNIQUE NULLS NOT DISTINCT (cols) in a
-- unique constraint and NULLS NOT DISTINCT after the column list (and INCLUDE) of CREATE
-- INDEX, NULLS DISTINCT for False, nothing for None; DROP INDEX ignores it. The Debian
-- SQLAlchemy 1.4 behind Alembic 1.8.1 refuses the argument.
-- deliberate: SQLAlchemy 2 dialect options
-- alembic-1.8.1:
-- error: sqlalchemy.exc.ArgumentError: Argument 'postgresql_nulls_not_distinct' is not accepted by dialect 'postgresql' on behalf of <class 'sqlalchemy.sql.schema.Index'>
-- expected:
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

