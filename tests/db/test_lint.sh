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

finish
