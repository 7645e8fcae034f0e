#!/usr/bin/env bash
# retort lint with a database: the pending steps only, for the server's version; a range
# or --pg-version given on the command line wins; a URL only in alembic.ini stays offline.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

rm -rf "${WORK:?}/lint"
cp -r "$FIX/../../fixtures/lint" "$WORK/lint"
cd "$WORK/lint" || exit 1

begin "the pending steps, for the server's version"
expect 0 retort stamp l03
expect 8 retort --format json lint
check_json "$OUT" 'one("lint_summary")["revisions"] == 4 and one("lint_summary")["pg_version"] == 15
	and {e["revision"] for e in ev if e["event"] == "finding"} == {"l04", "l05", "l06", "l07"}' \
	"l04-l07 linted, PostgreSQL 15 from the server"
check_eq "$(rows)" l03 "lint changes no version row"

begin "each finding carries its table's size; errors first, then the biggest tables"
q "CREATE TABLE users (id bigint); INSERT INTO users SELECT generate_series(1, 10000);
	CREATE TABLE orders (id bigint); INSERT INTO orders VALUES (1); ANALYZE users, orders"
expect 8 retort --format json lint
check_json "$OUT" '[e for e in ev if e["event"] == "finding"][0]["relation"] == "users"
	and all(e.get("row_estimate") == 10000 and e["table_bytes"] > 0 for e in ev
	        if e["event"] == "finding" and e["relation"] == "users")
	and all("table_bytes" not in e for e in ev if e["event"] == "finding"
	        and e["relation"] == "purchases")
	and [e["severity"] for e in ev if e["event"] == "finding"]
	    == sorted((e["severity"] for e in ev if e["event"] == "finding"), key=lambda s: s != "error")' \
	"sizes from pg_class, ranked by impact"
expect 8 retort lint
check_grep "$OUT" "ACCESS EXCLUSIVE on 'users'.* \(0 MB, ~10000 rows\)" "size in the text"

begin "the command line wins"
expect 8 retort --format json lint --pg-version 10
check_json "$OUT" 'one("lint_summary")["pg_version"] == 10
	and any(e["rule"] == "adding-field-with-default" and e["revision"] == "l07" for e in ev
	        if e["event"] == "finding")' "--pg-version 10 over the server's 15"
expect 8 retort --format json lint l01:l02
check_json "$OUT" 'one("lint_summary")["revisions"] == 1' "an explicit range over the pending steps"

begin "everything is applied"
expect 0 retort stamp l07
expect 0 retort --format json lint
check_json "$OUT" 'names == ["lint_summary"] and one("lint_summary")["revisions"] == 0' \
	"nothing pending, nothing to report"

begin "a URL only in alembic.ini: offline, every step"
run env -u RETORT_DATABASE_URL "$RETORT_BIN" --format json lint
check_eq "$RC" 8 "exit status"
check_json "$OUT" 'one("lint_summary")["revisions"] == 7' "all seven revisions, no connection"

begin "--trace: only on a scratch database"
expect 2 retort lint --trace
check_grep "$ERR" "neither its name nor retort.yaml's 'scratch_databases' marks it as scratch" \
	"a database not named scratch is refused"
check_eq "$(rows)" l07 "nothing ran"
run env -u RETORT_DATABASE_URL "$RETORT_BIN" lint --trace
check_eq "$RC" 2 "--trace without a database"

scratch=${RETORT_DATABASE_URL%/*}/${RETORT_TEST_DB}_scratch
q "CREATE DATABASE ${RETORT_TEST_DB}_scratch"
sq() { "$PGBIN/psql" -X -Atq -v ON_ERROR_STOP=1 -d "$scratch" -c "$1"; }

begin "--trace on migrations-example: the server's locks agree with the static table"
cd "$FIX/../../../migrations-example" || exit 1
expect 0 retort -d "$scratch" --format json lint --trace
check_json "$OUT" 'one("trace_summary")["revisions"] == 14 and one("trace_summary")["differ"] == 0
	and one("trace_summary")["failed"] == 0 and one("trace_summary")["not_traced"] == 1
	and all(e["status"] == "agrees" for e in ev if e["event"] == "trace"
	        and e["revision"] != "98bbdfd0dd06")
	and any(e["statement"] == "COMMENT" and e["locks"] == [{"relation": "accounts",
	        "static": "SHARE UPDATE EXCLUSIVE", "observed": "SHARE UPDATE EXCLUSIVE",
	        "differs": False}] for e in ev if e["event"] == "trace")' \
	"every statement agrees; the autocommit block is not traced"
check_eq "$(sq "SELECT count(*) FROM pg_class WHERE relname IN ('accounts', 'tasks', 'alembic_version')")" 0 \
	"rolled back: no table, no version row"

begin "--trace on tables that exist: each statement's own locks"
cd "$WORK/lint" || exit 1
expect 0 retort -d "$scratch" upgrade l01
expect 0 retort -d "$scratch" --format json lint --trace
check_json "$OUT" 'one("trace_summary")["differ"] == 0 and one("trace_summary")["agree"] >= 30
	and any(e["statement"] == "ALTER TABLE" and {"relation": "orders", "static": "SHARE ROW EXCLUSIVE",
	        "observed": "SHARE ROW EXCLUSIVE", "differs": False} in e["locks"]
	        for e in ev if e["event"] == "trace")
	and any(e["status"] == "failed" and "CONCURRENTLY" in e["reason"] for e in ev
	        if e["event"] == "trace")' \
	"fresh tables: observed modes match; a CIC outside an autocommit block fails and is rolled back"
check_eq "$(sq "SELECT version_num FROM alembic_version")" l01 "still at l01"

begin "--trace: 50 ALTER TABLE subcommands, each on a table of its own, agree on the server"
project alter_locks alter_locks
scratch3=${RETORT_DATABASE_URL%/*}/${RETORT_TEST_DB}_scratch3
q "CREATE DATABASE ${RETORT_TEST_DB}_scratch3"
expect 0 retort -d "$scratch3" upgrade s1
expect 0 retort -d "$scratch3" --format json lint --trace
check_json "$OUT" 'one("trace_summary")["statements"] == 50 and one("trace_summary")["agree"] == 50
	and all(any(l["observed"] == l["static"] for l in e["locks"]) for e in ev if e["event"] == "trace")
	and {"relation": "t29", "static": "ACCESS EXCLUSIVE", "observed": "ACCESS EXCLUSIVE",
	     "differs": False} in [l for e in ev if e["event"] == "trace" for l in e["locks"]]' \
	"each statement newly took exactly its static lock (ATTACH PARTITION: the partition too)"

begin "--trace: retort.yaml's scratch_databases marks a database"
printf 'alembic_ini: alembic.ini\nscratch_databases: [other, %s]\n' "$RETORT_TEST_DB" >retort.yaml
expect 0 retort lint --trace base:s1
check_grep "$ERR" "traced [0-9]+ statements of 1 revision: [0-9]+ agree, 0 differ, 0 not traced, 0 failed" \
	"the listed database is traced"
check_eq "$(rows)" l07 "rolled back: the version table as it was"
printf 'alembic_ini: alembic.ini\nscratch_databases: [other]\n' >retort.yaml
expect 2 retort lint --trace base:s1
rm retort.yaml

begin "--trace reports a lock the static table does not name"
project tracediff
scratch=${scratch}2
q "CREATE DATABASE ${RETORT_TEST_DB}_scratch2"
mkrev a1_t.py a1 None "CREATE TABLE src (id int); CREATE TABLE dst (id int)" "SELECT 1"
mkrev a2_t.py a2 "'a1'" "INSERT INTO dst SELECT id FROM src" "SELECT 1"
expect 0 retort -d "$scratch" upgrade a1
expect 8 retort -d "$scratch" --format json lint --trace
check_json "$OUT" 'one("trace_summary")["differ"] == 1 and {"relation": "src", "static": None,
	"observed": "ACCESS SHARE", "differs": True} in one("trace")["locks"]' \
	"INSERT ... SELECT reads src: a difference, exit 8"
expect 8 retort -d "$scratch" lint --trace
check_grep "$OUT" "a2_t.py:[0-9]+:[0-9]+: differs: INSERT, ROW EXCLUSIVE on 'dst'; ACCESS SHARE on 'src' \\(static: none\\)" "the text names it"

finish
