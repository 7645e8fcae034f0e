#!/usr/bin/env bash
# Fingerprint: migrations-example applied by retort and by Alembic give the same schema
# description and hash; --compare exits 0 for them and 1 (naming the column) after an
# ALTER TABLE on one side; the version and history tables never appear; an empty
# database has a fingerprint too, and the hash is stable.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HASH='[0-9a-f]{64}'

begin "an empty database has a fingerprint"
fresh_db empty
EMPTY_URL=$RETORT_DATABASE_URL
project empty
expect 0 retort fingerprint
check_grep "$OUT" "^schema public$" "the public schema is listed"
check_grep "$OUT" "^extension plpgsql [0-9.]+$" "extensions with their versions"
check_eq "$(tail -n 1 "$OUT" | grep -Ec "^fingerprint $HASH$")" 1 "the hash ends the output"
check_nogrep "$OUT" "^(table|column|index|function) " "no user objects"
check_empty "$ERR" "nothing on stderr"
expect 0 retort -q fingerprint
check_lines "$OUT" 1 "-q prints the hash alone"

begin "retort and Alembic build the same fingerprint"
project example ../../../migrations-example
fresh_db fp_retort
A=$RETORT_DATABASE_URL
expect 0 retort upgrade
check_eq "$(relation retort_history)" t "retort wrote its history table"
expect 0 retort fingerprint
cp "$OUT" "$WORK/fp_retort.txt"
fresh_db fp_alembic
B=$RETORT_DATABASE_URL
expect 0 alembic upgrade head
expect 0 retort fingerprint
cp "$OUT" "$WORK/fp_alembic.txt"
if cmp -s "$WORK/fp_retort.txt" "$WORK/fp_alembic.txt"; then pass; else
	fail "descriptions differ: $(diff "$WORK/fp_retort.txt" "$WORK/fp_alembic.txt")"; fi
check_grep "$OUT" "^table public\.users$" "tables are listed"
check_grep "$OUT" "^column public\.users\.id 1 bigint not null default nextval" \
	"columns with position, type, nullability and default"
check_grep "$OUT" "^constraint public\.[a-z_]+\.[a-z_]+ (PRIMARY KEY|FOREIGN KEY|UNIQUE)" \
	"constraints by name"
check_grep "$OUT" "^index public\.[a-z_]+\.[a-z_]+ CREATE (UNIQUE )?INDEX [a-z_]+ ON [a-z_]+ USING" \
	"index definitions without the table's schema"
check_grep "$OUT" "^sequence public\.[a-z_]+ (integer|bigint) start 1 increment 1 " "sequences"
check_grep "$OUT" "^trigger public\." "triggers"
check_grep "$OUT" "^function public\.[a-z_]+\(\) CREATE OR REPLACE FUNCTION .*\\\\n" \
	"functions, one line each with newlines escaped"
check_nogrep "$WORK/fp_retort.txt" "alembic_version|retort_history" \
	"neither the version nor the history table appears"
check_eq "$(head -n -1 "$WORK/fp_alembic.txt" | LC_ALL=C sort -c && echo sorted)" sorted \
	"lines are sorted"
expect 0 retort fingerprint
if cmp -s "$OUT" "$WORK/fp_alembic.txt"; then pass; else fail "a second run differs"; fi

begin "--compare: equal, then a difference naming the column"
expect 0 retort -d "$A" fingerprint --compare "$B"
check_grep "$OUT" "^the schemas are equal: fingerprint $HASH$" "equal schemas"
expect 0 retort -d "$A" --format json fingerprint --compare "$B"
check_json "$OUT" 'len(ev) == 1 and ev[0]["event"] == "fingerprint" and ev[0]["equal"] is True
	and ev[0]["hash"] == ev[0]["compare_hash"] and ev[0]["only_first"] == []' "equal as JSON"
RETORT_DATABASE_URL=$B q "ALTER TABLE users ADD COLUMN nickname text"
expect 1 retort -d "$A" fingerprint --compare "$B"
check_grep "$OUT" "^\+ column public\.users\.nickname [0-9]+ text$" "the new column is named"
check_nogrep "$OUT" "^- " "nothing only in the first"
check_grep "$OUT" "^the schemas differ: 0 lines only in the first, 1 only in the second$" \
	"the summary counts"
check_empty "$ERR" "no error message for a difference"
expect 1 retort -d "$B" --format json fingerprint --compare "$A"
check_json "$OUT" 'len(ev) == 1 and ev[0]["equal"] is False and ev[0]["only_second"] == []
	and [l.split()[1] for l in ev[0]["only_first"]] == ["public.users.nickname"]
	and ev[0]["hash"] != ev[0]["compare_hash"]' "the difference as JSON"
expect 1 retort -d "$EMPTY_URL" fingerprint --compare "$A"
check_grep "$OUT" "^\+ table public\.users$" "an empty database differs from a migrated one"

begin "configured table names are left out, other names quoted as quote_ident does"
fresh_db names
q 'CREATE SCHEMA ops; CREATE TABLE ops."MyVersions" (v text PRIMARY KEY);
   CREATE TABLE ops.hist (id bigserial PRIMARY KEY); CREATE TABLE "Odd Name" (x int)'
expect 0 retort --version-table MyVersions --version-table-schema ops --history-table hist \
	fingerprint
check_nogrep "$OUT" "MyVersions|hist" "the configured tables, their index and sequence are left out"
check_grep "$OUT" '^table public\."Odd Name"$' "quoted names"
check_grep "$OUT" '^column public\."Odd Name"\.x 1 integer$' "a nullable column without default"
check_grep "$OUT" "^schema ops$" "the schema stays"
expect 0 retort fingerprint
check_grep "$OUT" "^table ops\.hist$" "with the default names they are ordinary tables"

begin "JSON and errors"
expect 0 retort -d "$A" --format json fingerprint
check_json "$OUT" 'len(ev) == 1 and len(ev[0]["hash"]) == 64 and "schema public" in ev[0]["lines"]
	and "table public.users" in ev[0]["lines"]' "one fingerprint event with the lines"
expect 4 retort -d "postgresql://postgres@127.0.0.1:1/nowhere" fingerprint
expect 4 retort -d "$A" fingerprint --compare "postgresql://postgres@127.0.0.1:1/nowhere"
expect 2 retort fingerprint extra
finish
