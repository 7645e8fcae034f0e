#!/usr/bin/env bash
# Data migrations written with SQLAlchemy's ORM (issue 11, item 5): models of the version
# file, a Session bound to op.get_bind(), session.query() read as on a fresh database. On
# empty tables the chain applies and reverts as real Alembic does, with the same schema;
# with rows the step stops at the read, nothing of it committed; offline it is refused.
# Fixture: tests/fixtures/ormloops.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=1a0000000001 B=2b0000000002
FB=versions/2b0000000002_orm_backfill.py
column() { q "SELECT count(*) FROM information_schema.columns WHERE table_name = '$1' AND column_name = '$2'"; }

begin "on a fresh database the ORM queries find no rows: the same schema as Alembic's"
project ormloops ../../fixtures/ormloops
fresh_db orm_alembic
expect 0 alembic upgrade head
schema_dump "$WORK/orm_alembic.sql" -T alembic_version
fresh_db orm
expect 0 retort upgrade
check_eq "$(rows)" $B "at head"
check_eq "$(relation ix_incident_plugin_slug)" t "first() is None: the index is created"
schema_dump "$WORK/orm_retort.sql" -T alembic_version -T 'retort_history*'
check_eq "$(diff "$WORK/orm_alembic.sql" "$WORK/orm_retort.sql" && echo same)" same \
	"pg_dump --schema-only identical to Alembic's"
expect 0 retort downgrade base
check_eq "$(rows)" "" "and back to base"
fresh_db orm_alembic_down
expect 0 alembic upgrade head
expect 0 alembic downgrade $A
check_eq "$(column incident plugin_slug)" 0 "real Alembic reverts it the same way"

begin "with rows the step stops at the query, nothing of it committed"
fresh_db orm_rows
expect 0 retort upgrade $A
q "INSERT INTO plugin (id, slug) VALUES (1, 'google')"
q "INSERT INTO incident (id, plugin_id, resource_type) VALUES (1, 1, 'doc')"
expect 3 retort upgrade
check_grep "$ERR" "^$FB:34:21: error: upgrade of '$B' stopped: upgrade\(\) reads a query's rows with all\(\).*here it finds 1 row, so nothing of the step was committed" \
	"names the read and the row count"
check_grep "$ERR" "hint: write this body as SQL in versions/2b0000000002_orm_backfill.sql" \
	"the sidecar remedy"
check_eq "$(rows)" $A "the version row stays"
check_eq "$(column incident plugin_slug)" 0 "the column added before the loop is rolled back"
q "UPDATE incident SET resource_type = NULL"
expect 3 retort upgrade
check_grep "$ERR" "^$FB:37:14: error: .*first\(\).*here it finds 1 row" \
	"the loop's filter matches nothing now; filter_by(slug=) finds the plugin"
q "DELETE FROM incident; DELETE FROM plugin"
expect 0 retort upgrade
check_eq "$(q "SELECT column_default FROM information_schema.columns WHERE table_name = 'plugin' AND column_name = 'enabled'")" true \
	"with the tables empty again it applies"

begin "offline, a session's query is refused"
expect 3 retort upgrade $A:$B --sql
check_grep "$ERR" "^$FB:34:21: error: 'session.query\(\)' reads the database's rows" \
	"upgrade --sql refuses it"

finish
