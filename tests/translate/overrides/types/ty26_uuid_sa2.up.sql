-- reason: sa.Uuid / sa.UUID exist only in SQLAlchemy >= 2.0, which renders both as UUID
-- on PostgreSQL (the Debian SQLAlchemy 1.4 behind Alembic 1.8.1 has neither); SPEC §4
-- lists UUID/Uuid among the supported types.
-- deliberate: SQLAlchemy 2 types
-- alembic-1.8.1:
-- error: AttributeError: module 'sqlalchemy' has no attribute 'Uuid'
-- expected:
CREATE TABLE ty_uuid_sa2 (
    id SERIAL NOT NULL, 
    v UUID, 
    w UUID, 
    PRIMARY KEY (id)
);
