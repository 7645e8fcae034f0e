#!/usr/bin/env bash
# Data loops on fresh databases (issue 11): a loop over a query's rows whose body retort
# does not translate runs as a guard. With no rows the step applies; with rows it stops with
# exit 3 at the loop's file:line, the row count and the sidecar remedy, nothing of the step
# committed. Offline (--sql, show --sql) it is refused as before. Fixture: tests/fixtures/dataloops.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=1a0000000001 B=2b0000000002 C=3c0000000003
FB=versions/2b0000000002_backfill.py
column() { q "SELECT count(*) FROM information_schema.columns WHERE table_name = '$1' AND column_name = '$2'"; }

begin "on a fresh database every loop finds no rows: the chain applies, and back down"
project dataloops ../../fixtures/dataloops
fresh_db fresh
expect 0 retort upgrade
check_eq "$(rows)" $C "at head"
check_eq "$(column t c)$(column t d)" 11 "the columns around the loop are added"
check_eq "$(relation ix_u_t_id)" t "the for loop's else block ran"
expect 0 retort downgrade base
check_eq "$(rows)" "" "at base"
check_eq "$(relation t)" f "t is dropped"

begin "with rows the step stops at the loop, nothing of it committed"
fresh_db rows
expect 0 retort upgrade $A
q "INSERT INTO t (id, name) VALUES (1, 'x'), (2, 'y')"
expect 3 retort upgrade
check_grep "$ERR" "^$FB:23:5: error: upgrade of '$B' stopped: upgrade\(\) loops over the rows of a query.*here it finds 2 rows, so nothing of the step was committed" \
	"names the loop, the row count"
check_grep "$ERR" "hint: write this body as SQL in versions/2b0000000002_backfill.sql \(-- retort:upgrade section\)" \
	"the sidecar remedy"
check_eq "$(rows)" $A "the version row stays"
check_eq "$(column t c)" 0 "the column added before the loop is rolled back"
check_eq "$(q "SELECT count(*) FROM retort_history WHERE revision = '$B'")" 0 "no history row"
expect 3 retort --format json upgrade
check_json "$OUT" 'one("error")["exit_code"] == 3 and one("error")["line"] == 23
	and "finds 2 rows" in one("error")["message"]' "the same as JSON"

begin "a sidecar replaces the body"
cat >versions/2b0000000002_backfill.sql <<'SQL'
-- retort:upgrade
ALTER TABLE t ADD COLUMN c text;
UPDATE t SET c = lower(name);
ALTER TABLE t ADD COLUMN d text;
SQL
expect 0 retort upgrade $B
check_eq "$(rows)" $B "the step ran"
check_eq "$(q "SELECT string_agg(c, ',' ORDER BY id) FROM t")" "x,y" "the sidecar's update ran"
rm versions/2b0000000002_backfill.sql

begin "a select() of the expression language is the guard's query, its WHERE included"
fresh_db select
expect 0 retort upgrade $B
q "INSERT INTO t (id, name) VALUES (1, 'x')"
expect 3 retort upgrade
check_grep "$ERR" "^versions/3c0000000003_link_u.py:30:5: error: upgrade of '$C' stopped: .*here it finds 1 row, so" \
	"the loops over unnamed rows find none; the distinct names' loop finds the one row"
check_eq "$(relation ix_u_t_id)" f "nothing of the step was committed"
q "DELETE FROM t"
expect 0 retort upgrade
check_eq "$(rows)" $C "with no rows it applies"

begin "offline, such a step is refused as before"
expect 3 retort upgrade $A:$B --sql
check_grep "$ERR" "^$FB:23:16: error: a loop over a function call" "upgrade --sql refuses the loop"
expect 3 retort show $B --sql
check_grep "$ERR" "^$FB:23:16: error" "show --sql refuses it"

begin "check counts the bodies runnable and notes the loops at -v"
expect 0 retort check
check_grep "$OUT" "3 of 3 upgrades runnable; 3 of 3 downgrades runnable" "all runnable"
expect 0 retort check -v
check_grep "$ERR" "^$FB:23:5: note: upgrade\(\) loops over the rows of a query" "the upgrade's loop"
check_grep "$ERR" "^$FB:31:12: note: downgrade\(\) reads a query's rows with fetchall\(\)" "the downgrade's loop"

# Values read from a query (tests/fixtures/valueguards): a COUNT(*) branched on, a batched
# backfill whose while loop ends at once when the count is 0, a scalar() compared.
VA=1a0000000001 VB=2b0000000002 VC=3c0000000003
FV=versions/2b0000000002_counted.py FW=versions/3c0000000003_batched.py
begin "values read from queries: on a fresh database the chain applies as Alembic applies it"
project valueguards ../../fixtures/valueguards
fresh_db values_alembic
expect 0 alembic upgrade head
schema_dump "$WORK/values_alembic.sql" -T alembic_version
fresh_db values
expect 0 retort upgrade
check_eq "$(rows)" $VC "at head"
check_eq "$(relation related)$(relation ix_releases_version)" ft "related dropped, the index made"
schema_dump "$WORK/values_retort.sql" -T alembic_version -T 'retort_history*'
check_eq "$(diff "$WORK/values_alembic.sql" "$WORK/values_retort.sql" && echo same)" same \
	"pg_dump --schema-only identical to Alembic's"
expect 0 retort downgrade base
check_eq "$(rows)" "" "and back to base"

begin "with rows the value differs: exit 3 at the read, the value found, nothing committed"
fresh_db values_rows
expect 0 retort upgrade $VA
q "INSERT INTO related (id) VALUES (1), (2), (3)"
expect 3 retort upgrade
check_grep "$ERR" "^$FV:34:16: error: upgrade of '$VB' stopped: upgrade\(\) reads a query's row with fetchone\(\) and follows the value it has on a fresh database: it runs only where the query finds 0; here it finds 3, so nothing of the step was committed" \
	"names the read, the value assumed and the value found"
check_eq "$(relation related_dataset)" t "nothing of the step was committed"
q "DELETE FROM related"
q "INSERT INTO releases (id, version) VALUES (1, '1.0rc1')"
expect 3 retort upgrade
check_grep "$ERR" "^$FV:23:12: error: .*next\(\).*finds 0; here it finds 1, so" "the batched backfill's count"
check_eq "$(relation related_dataset)" t "the drops before it are rolled back"
q "UPDATE releases SET is_prerelease = false"
expect 3 retort upgrade
check_grep "$ERR" "^$FV:58:14: error: .*scalar\(\).*finds 0; here it finds 1, so" "max(id) through coalesce()"
q "DELETE FROM releases"
expect 0 retort upgrade $VB
check_eq "$(rows)" $VB "with the tables empty again it applies"
q "INSERT INTO releases (id, version, is_prerelease) VALUES (7, '2.0', false)"
expect 3 retort downgrade $VA
check_grep "$ERR" "^$FV:65:8: error: downgrade of '$VB' stopped: .*first\(\).*finds \(0, NULL\); here it finds \(1, 2.0\), so" \
	"two values, shown as a row"

begin "a batched backfill reads its rowcount: 0 on a fresh database; with rows it stops"
q "DELETE FROM releases"
q "INSERT INTO releases (id, version, is_prerelease) VALUES (7, '2.0', false)"
expect 3 retort upgrade
check_grep "$ERR" "^$FW:31:16: error: upgrade of '$VC' stopped: upgrade\(\) reads the count of rows a statement changes \(rowcount\), 0 on a fresh database: it runs only where the statement changes no rows; here it finds 1 row, so" \
	"the batch changed a row: the loop would go on"
check_eq "$(rows)" $VB "the step is not recorded"
check_eq "$(column releases channel)" 0 "its column and its batch are rolled back"
q "DELETE FROM releases"
expect 0 retort upgrade
check_eq "$(rows)" $VC "with no rows to change it applies"

begin "offline, reading a value is refused"
expect 3 retort upgrade $VA:$VB --sql
check_grep "$ERR" "^$FV:.*error: 'op.get_bind\(\)' used for data access" "upgrade --sql refuses it"

finish
