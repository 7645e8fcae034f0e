#!/usr/bin/env bash
# Every database command's happy paths and refusals, asserted on the database itself
# (version rows, history rows, catalog objects), on exit codes and on the text and JSON
# output: upgrade, downgrade, stamp, current, verify, repair, history -i.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=11aa00000001 B=22bb00000002 C=33cc00000003 D=44dd00000004

begin "current and --dry-run on an empty database"
project linear linear
expect 0 retort current
check_empty "$OUT" "current at base prints nothing"
check_eq "$(relation alembic_version)" f "current creates no version table"
expect 0 retort upgrade --dry-run
check_eq "$(grep -c '^Would run upgrade' "$OUT")" 4 "dry run lists four steps"
check_grep "$OUT" "^Would run upgrade  -> $A, create accounts$" "first step, Alembic's log line"
check_grep "$OUT" "^Dry run: 4 steps, nothing changed; would end at $D$" "dry-run summary"
check_eq "$(relation alembic_version)$(relation retort_history)$(relation accounts)" fff \
	"dry run creates nothing"
expect 0 retort --format json upgrade $B --dry-run
check_json "$OUT" 'names == ["plan", "summary"] and one("plan")["dry_run"] is True
	and [s["revision"] for s in one("plan")["steps"]] == ["'$A'", "'$B'"]
	and one("summary")["rows"] == ["'$B'"] and one("summary")["dry_run"] is True' \
	"dry-run JSON: plan and summary"

begin "upgrade to a revision, then to head"
expect 0 retort upgrade $B
check_grep "$OUT" "^Running upgrade  -> $A, create accounts \.\.\. [0-9]+ ms$" "progress line, step 1"
check_grep "$OUT" "^Running upgrade $A -> $B, create orders \.\.\. [0-9]+ ms$" "progress line, step 2"
check_grep "$OUT" "^Done: 2 steps in [0-9]+ ms; now at $B$" "total line"
check_eq "$(rows)" $B "version row after upgrade $B"
check_eq "$(relation accounts)$(relation orders)$(relation order_totals)" ttf "objects of steps 1-2"
check_eq "$(q "SELECT string_agg(revision || ':' || direction, ' ' ORDER BY id) FROM retort_history")" \
	"$A:upgrade $B:upgrade" "history rows"
check_eq "$(q "SELECT count(*) FROM retort_history WHERE checksum ~ '^[0-9a-f]{64}$'
	AND db_user = 'postgres' AND application_name = 'retort' AND retort_version <> ''")" 2 \
	"history rows carry checksum, user, application, version"
expect 0 retort current
check_eq "$(cat "$OUT")" "$B" "current below head"
expect 0 retort --format json upgrade
check_json "$OUT" 'names == ["plan", "step_start", "step_done", "step_start", "step_done", "summary"]
	and ev[1]["revision"] == "'$C'" and ev[1]["index"] == 1 and ev[1]["total"] == 2
	and ev[1]["from"] == ["'$B'"] and ev[1]["to"] == ["'$C'"] and ev[1]["kind"] == "upgrade"
	and isinstance(ev[2]["duration_ms"], (int, float))
	and one("summary")["rows"] == ["'$D'"] and one("summary")["steps"] == 2
	and one("plan")["rows_before"] == ["'$B'"]' "upgrade JSON events"
check_eq "$(rows)" $D "version row at head"
check_eq "$(q 'SELECT count(*) FROM accounts')$(relation order_totals)" 1t "objects of steps 3-4"
expect 0 retort current
check_eq "$(cat "$OUT")" "$D (head)" "current at head"
expect 0 retort --format json current
check_json "$OUT" 'len(ev) == 1 and ev[0]["event"] == "revision" and ev[0]["revision"] == "'$D'"
	and ev[0]["head"] is True' "current JSON"
expect 0 retort upgrade
check_eq "$(cat "$OUT")" "Nothing to do; at $D" "second upgrade does nothing"
check_eq "$(q 'SELECT count(*) FROM retort_history')" 4 "no history row for nothing"
expect 0 retort -q upgrade
check_empty "$OUT" "-q prints nothing (stdout)"
check_empty "$ERR" "-q prints nothing (stderr)"

begin "history -i and verify"
expect 0 retort history -i
check_grep "$OUT" "^$C -> $D \(head\) \(current\), order totals view$" "history -i marks current"
check_lines "$OUT" 4 "history -i lists every revision"
expect 0 retort verify
check_grep "$OUT" "^version table: $D$" "verify rows"
check_grep "$OUT" "^applied: 4 revisions, 4 with a recorded checksum$" "verify applied"
check_grep "$OUT" "^pending: 0 steps$" "verify pending"
expect 0 retort --format json verify
check_json "$OUT" 'one("verify")["ok"] is True and ev[0]["applied"] == ["'$A'", "'$B'", "'$C'", "'$D'"]
	and ev[0]["drifted"] == [] and ev[0]["no_checksum"] == [] and ev[0]["pending"] == []
	and ev[0]["history_table"] is True and ev[0]["rows"] == ["'$D'"]' "verify JSON"
expect 0 retort repair
check_grep "$OUT" "^nothing to repair" "repair with nothing to record"
expect 2 retort repair nosuchrev
check_grep "$ERR" "nosuchrev" "repair of an unknown revision names it"

begin "downgrade"
expect 0 retort downgrade -1 --dry-run
check_grep "$OUT" "^Would run downgrade $D -> $C, order totals view$" "downgrade dry run"
check_eq "$(rows)$(relation order_totals)" "${D}t" "downgrade dry run changes nothing"
expect 0 retort downgrade -1
check_grep "$OUT" "^Running downgrade $D -> $C, order totals view \.\.\. [0-9]+ ms$" "downgrade line"
check_eq "$(rows)$(relation order_totals)" "${C}f" "downgrade -1"
check_eq "$(history_count $D downgrade)" 1 "downgrade history row"
expect 0 retort -q downgrade $A
check_empty "$OUT" "-q downgrade prints nothing"
check_eq "$(rows)$(relation orders)$(relation accounts)" "${A}ft" "downgrade to a revision"
expect 0 retort verify
check_grep "$OUT" "^pending: 3 steps \($B, $C, $D\)$" "verify lists pending steps"
expect 0 retort history -i
check_grep "$OUT" "^<base> -> $A \(current\), create accounts$" "history -i after downgrade"
expect 0 retort --format json downgrade base
check_json "$OUT" 'names == ["plan", "step_start", "step_done", "summary"]
	and ev[1]["kind"] == "downgrade" and ev[1]["to"] == [] and one("summary")["rows"] == []' \
	"downgrade JSON"
check_eq "$(rows)$(relation alembic_version)$(relation accounts)" "tf" \
	"downgrade base leaves an empty version table, as Alembic online"
expect 2 retort downgrade
check_grep "$ERR" "needs" "downgrade without a target is a usage error"
expect 2 retort upgrade nosuch
check_grep "$ERR" "nosuch" "an unknown target is named"
expect 0 retort upgrade +2
check_eq "$(rows)" $B "relative upgrade +2"

begin "stamp"
expect 0 retort stamp $D --dry-run
check_eq "$(rows)" $B "stamp --dry-run changes nothing"
expect 0 retort stamp 44dd
check_eq "$(rows)$(relation order_totals)" "${D}f" "stamp stores the full id and runs nothing"
check_eq "$(history_count $D stamp)" 1 "stamp history row"
check_eq "$(q "SELECT checksum ~ '^[0-9a-f]{64}$' FROM retort_history WHERE revision = '$D' AND direction = 'stamp'")" \
	t "a stamp records the checksum of the revision it makes current"
expect 0 retort stamp base
check_eq "$(rows)" "" "stamp base"
check_eq "$(q "SELECT count(*) || ',' || count(checksum) FROM retort_history WHERE revision = '$D' AND direction = 'stamp'")" \
	"2,1" "stamp base records the revision it removes, without a checksum"
expect 0 retort --format json stamp $C
check_json "$OUT" 'one("plan")["steps"][0]["kind"] == "stamp" and one("summary")["rows"] == ["'$C'"]' \
	"stamp JSON"
check_eq "$(rows)" $C "stamp from base"
expect 2 retort stamp
check_grep "$ERR" "needs" "stamp without a target"

begin "unknown version row: exit 7 everywhere, stamp --purge repairs"
q "INSERT INTO alembic_version VALUES ('deadbeef99')"
for cmd in upgrade current verify "stamp heads" "downgrade -1" repair; do
	# shellcheck disable=SC2086
	expect 7 retort $cmd
	check_grep "$ERR" "'deadbeef99'" "$cmd names the unknown row"
done
check_grep "$ERR" "stamp --purge" "the hint names stamp --purge"
expect 7 retort --format json upgrade
check_json "$OUT" 'one("error")["exit_code"] == 7 and "deadbeef99" in one("error")["message"]' \
	"unknown row as a JSON error"
expect 0 retort stamp --purge $D
check_eq "$(rows)" $D "stamp --purge replaces every row"
expect 0 retort upgrade
check_eq "$(cat "$OUT")" "Nothing to do; at $D" "usable again after the purge"

begin "two heads, a merge, labels"
project twoheads branches
rm versions/m0merge00001_merge.py
fresh_db twoheads
expect 2 retort upgrade head
check_grep "$ERR" "b2feat000002" "two heads: names the first head"
check_grep "$ERR" "c1feat000001" "two heads: names the second head"
check_grep "$ERR" "merge" "two heads: suggests a merge"
check_grep "$ERR" "'heads'" "two heads: suggests 'heads'"
check_eq "$(relation alembic_version)" f "the refusal touched nothing"
expect 2 retort --format json upgrade
check_json "$OUT" 'one("error")["exit_code"] == 2 and "b2feat000002" in one("error")["detail"]' \
	"two heads as a JSON error"
expect 0 retort upgrade featb@head
check_eq "$(rows)$(relation c1_t)" "b2feat000002f" "label@head upgrades one branch"
expect 0 retort upgrade heads
check_eq "$(rows)" "b2feat000002 c1feat000001" "upgrade heads"
expect 0 retort current
check_eq "$(sort "$OUT" | tr '\n' ' ')" "b2feat000002 (head) c1feat000001 (head) " "current, two heads"
cp "$FIX/branches/versions/m0merge00001_merge.py" versions/
expect 0 retort upgrade head
check_eq "$(rows)$(relation merged_t)" "m0merge00001t" "merge step"
expect 0 retort downgrade c1feat000001
check_eq "$(rows)$(relation merged_t)" "b2feat000002 c1feat000001f" "unmerge keeps both parents"
expect 0 retort stamp base
expect 0 retort stamp c1feat000001 b2feat000002
check_eq "$(rows)" "b2feat000002 c1feat000001" "stamp with two targets"
expect 0 retort stamp heads
check_eq "$(rows)" "m0merge00001" "stamp heads over a merge"

begin "transaction modes and no-transaction sections"
project txmodes
fresh_db txmodes
mkrev a1a1a1a1a1a1_t.py a1a1a1a1a1a1 None "CREATE TABLE items (id int, name text)" "DROP TABLE items"
mkrev b2b2b2b2b2b2_ix.py b2b2b2b2b2b2 "'a1a1a1a1a1a1'" "" ""
cat >versions/b2b2b2b2b2b2_ix.sql <<'SQL'
-- retort:upgrade
INSERT INTO items VALUES (1, 'one');
-- retort:upgrade no-transaction
CREATE INDEX CONCURRENTLY ix_items_name ON items (name);
-- retort:downgrade
DROP INDEX ix_items_name;
SQL
expect 0 retort check
expect 0 retort upgrade
check_eq "$(rows)" b2b2b2b2b2b2 "steps with a no-transaction section"
check_eq "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_name'::regclass")" t \
	"CREATE INDEX CONCURRENTLY ran outside a transaction"
expect 0 retort --transaction single downgrade base
check_eq "$(rows)$(relation items)" "f" "single-transaction downgrade"
expect 0 retort --transaction single upgrade a1a1
check_eq "$(rows)$(relation items)" "a1a1a1a1a1a1t" "single-transaction upgrade"

begin "connection errors"
expect 4 retort -d "postgresql://bob:s3cretpw@127.0.0.1:$PGPORT/nosuchdb" upgrade
check_grep "$ERR" "bob:\*\*\*@127\.0\.0\.1" "the URL is shown masked"
check_nogrep "$ERR" "s3cretpw" "the password is never printed"
expect 4 retort -d "postgresql://bob:s3cretpw@127.0.0.1:1/x" --format json current
check_json "$OUT" 'one("error")["exit_code"] == 4' "connection error as JSON"
check_nogrep "$OUT" "s3cretpw" "no password in JSON"
run retort -d "postgres://bob:s3cretpw@[bad" current
check_nogrep "$ERR" "s3cretpw" "no password in a malformed URL's error"
t0=$(date +%s.%N)
expect 4 retort -d "postgresql://bob:s3cretpw@127.0.0.1:1/x" --wait 2 upgrade
t1=$(date +%s.%N)
check_eq "$("$PY" -c "print(2 <= $t1 - $t0 < 8)")" True "--wait waits its time, then gives up"
check_grep "$ERR" "waiting for the database at 127\.0\.0\.1:1" "--wait progress message"
check_grep "$ERR" "within 2 s" "--wait says how long it waited"
check_nogrep "$ERR" "s3cretpw" "no password while waiting"
# a rejected password does not get right by waiting: --wait gives up at once
q "CREATE ROLE pwuser LOGIN PASSWORD 'right'"
hba=$RETORT_TEST_CLUSTER/data/pg_hba.conf
cp "$hba" "$WORK/pg_hba.orig"
{ echo "host all pwuser 127.0.0.1/32 scram-sha-256"; cat "$WORK/pg_hba.orig"; } >"$hba"
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
t0=$(date +%s.%N)
expect 4 retort -d "postgresql://pwuser:wr0ngpw@127.0.0.1:$PGPORT/$RETORT_TEST_DB" --wait 20 current
t1=$(date +%s.%N)
check_eq "$("$PY" -c "print($t1 - $t0 < 5)")" True "--wait does not retry a rejected password"
check_grep "$ERR" "password authentication failed" "the server's reason is shown"
check_grep "$ERR" "hint: authentication failed" "the hint is about credentials"
check_nogrep "$ERR" "wr0ngpw" "no password in the error"
cp "$WORK/pg_hba.orig" "$hba"
q "SELECT pg_reload_conf()" >/dev/null
finish
