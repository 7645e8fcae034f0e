-- reason: postgresql.CITEXT exists only in SQLAlchemy >= 2.0.0 (rendered CITEXT); the
-- Debian SQLAlchemy 1.4 behind Alembic 1.8.1 lacks it. SPEC §4 lists CITEXT.
-- deliberate: SQLAlchemy 2 types
-- alembic-1.8.1:
-- error: AttributeError: module 'sqlalchemy.dialects.postgresql' has no attribute 'CITEXT'
-- expected:
CREATE TABLE ty_citext (
    id SERIAL NOT NULL, 
    v CITEXT, 
    PRIMARY KEY (id)
);
