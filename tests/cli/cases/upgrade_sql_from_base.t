# base:TO creates the version table, as Alembic does (a later start does not)
cd: tests/fixtures/lab/linear
run: retort upgrade base:head --sql
--- exit
0
--- stdout
BEGIN;

CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL, 
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> aaaa1111

CREATE TABLE t1 (id int);

INSERT INTO alembic_version (version_num) VALUES ('aaaa1111') RETURNING alembic_version.version_num;

COMMIT;

BEGIN;

-- Running upgrade aaaa1111 -> bbbb2222

CREATE TABLE t2 (id int);

UPDATE alembic_version SET version_num='bbbb2222' WHERE alembic_version.version_num = 'aaaa1111';

COMMIT;

BEGIN;

-- Running upgrade bbbb2222 -> cccc3333

CREATE TABLE t3 (id int);

UPDATE alembic_version SET version_num='cccc3333' WHERE alembic_version.version_num = 'bbbb2222';

COMMIT;

--- stderr
