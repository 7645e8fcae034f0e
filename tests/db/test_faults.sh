#!/usr/bin/env bash
# Faults: SIGKILL, SIGTERM and SIGINT during a slow step, a server restart mid-run, a
# failing statement (its file:line:col in a .py and in a sidecar .sql, SQLSTATE, the
# server's message) and a step that hits lock_timeout and is retried.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S1=aaaa00000001 S2=bbbb00000002

slow_project() {
	project "$1"
	mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
	mkrev ${S2}_slow.py $S2 "'$S1'" "CREATE TABLE t_slow (id int); SELECT pg_sleep(3)" \
		"DROP TABLE t_slow"
	fresh_db "$1"
	expect 0 retort upgrade $S1
}
# start_slow: a background `retort upgrade` that has reached its slow statement.
start_slow() {
	"$RETORT_BIN" upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
	bg=$!
	backend_pid '%pg_sleep(3)%' >/dev/null || fail "retort never reached its slow step"
}
# rolled_back WHAT: the slow step left nothing behind.
rolled_back() {
	check_eq "$(rows)$(relation t_slow)$(history_count $S2)" "${S1}f0" "$1: the step was rolled back"
}

begin "SIGKILL during a step: the server rolls it back, a re-run finishes"
slow_project kill
start_slow
kill -KILL $bg
wait $bg
check_eq "$?" 137 "retort was killed"
# the orphaned backend ends (and releases the lock) once its statement returns
idle_db || fail "the killed run's session never ended"
rolled_back "after SIGKILL"
check_eq "$(advisory_locks)" 0 "the server released the lock"
expect 0 retort upgrade
check_eq "$(rows)$(relation t_slow)$(history_count $S2)" "${S2}t1" "the re-run applied the step once"
check_eq "$(q "SELECT duration_ms BETWEEN 3000 AND 60000 AND started_at < clock_timestamp() -
	interval '3 s' FROM retort_history WHERE revision = '$S2'")" t \
	"its history row has the step's duration (3 s of pg_sleep), measured by the server"

for sig in TERM INT; do
	want=$([ $sig = TERM ] && echo 143 || echo 130)
	begin "SIG$sig during a step: exit $want, rolled back, lock released"
	slow_project "sig$sig"
	start_slow
	t0=$(date +%s.%N)
	kill -$sig $bg
	wait $bg
	check_eq "$?" "$want" "exit status after SIG$sig"
	check_eq "$("$PY" -c "print($(date +%s.%N) - $t0 < 2)")" True "the statement was cancelled at once"
	check_grep "$WORK/bg.err" "interrupted: the running statement was cancelled" "the message says so"
	check_eq "$(advisory_locks)" 0 "no advisory lock left"
	rolled_back "after SIG$sig"
	expect 0 retort --lock-timeout 0 upgrade
	check_eq "$(rows)$(history_count $S2)" "${S2}1" "another run takes the lock at once and finishes"
done

begin "while a batched statement runs, progress names its step, the one before is done"
project progress
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_slow.py $S2 "'$S1'" "SELECT pg_sleep(3)" "SELECT 1"
fresh_db progress
"$RETORT_BIN" upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
backend_pid '%pg_sleep(3)%' >/dev/null || fail "retort never reached its slow step"
sleep 0.5
check_grep "$WORK/bg.out" "^Running upgrade $S1 -> $S2, .* \.\.\.$" "the slow step is shown running"
wait $bg
check_eq "$?" 0 "the run succeeds"
first=$(sed -n "1s/^Running upgrade  -> $S1, .* \.\.\. \([0-9]*\) ms$/\1/p" "$WORK/bg.out")
check_eq "$([ -n "$first" ] && [ "$first" -lt 2500 ] && echo short)" short \
	"the first step's duration ($first ms) does not include the slow step's"

begin "a later step that cannot start (its file changed) leaves the completed steps committed"
project changed
S3=cccc00000003
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_slow.py $S2 "'$S1'" "SELECT pg_sleep(2)" "SELECT 1"
mkrev ${S3}_c.py $S3 "'$S2'" "CREATE TABLE t_c (id int)" "DROP TABLE t_c"
fresh_db changed
"$RETORT_BIN" upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
backend_pid '%pg_sleep(2)%' >/dev/null || fail "retort never reached its slow step"
echo "# edited during the run" >>versions/${S3}_c.py
wait $bg
check_eq "$?" 7 "the changed file stops the run (exit 7)"
check_grep "$WORK/bg.err" "'versions/${S3}_c.py' changed while retort was running" "the message names it"
check_eq "$(rows)$(history_count $S2)$(relation t_c)" "${S2}1f" \
	"the step that completed before it is committed (per-migration)"

begin "the server restarts mid-run"
slow_project restart
start_slow
if ! pg_ctl -m fast restart; then
	# another cluster may have taken the port in the instant it was free
	fail "pg_ctl restart failed; see $RETORT_TEST_CLUSTER/server.log"
	finish
fi
wait $bg
check_eq "$?" 4 "a lost connection exits 4"
check_grep "$WORK/bg.err" "the server closed the connection during upgrade of '$S2'" "the message says what happened"
check_grep "$WORK/bg.err" "retort current" "the hint says how to see the state"
expect 0 retort --wait 20 upgrade
check_eq "$(rows)$(history_count $S2)" "${S2}1" "the re-run finishes"

# Stopping the server would free its port for another test run to take; the database
# refusing connections, then writes, stands in for a server that is still starting.
begin "--wait waits for connections and then for writes (the container recipe)"
expect 0 retort downgrade $S1
qpg() { "$PGBIN/psql" -X -Atq -v ON_ERROR_STOP=1 -d postgres -c "$1"; }
db=${RETORT_DATABASE_URL##*/}
qpg "ALTER DATABASE $db ALLOW_CONNECTIONS false"
"$RETORT_BIN" --wait 30 upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
sleep 2.5
qpg "ALTER DATABASE $db SET default_transaction_read_only = on; ALTER DATABASE $db ALLOW_CONNECTIONS true"
sleep 2.5
qpg "ALTER DATABASE $db RESET default_transaction_read_only"
wait $bg
check_eq "$?" 0 "retort --wait 30 upgrade succeeds once the database takes writes"
check_grep "$WORK/bg.err" "waiting for the database at 127\.0\.0\.1:$PGPORT \([0-9]+ s left\): .*is not currently accepting connections" \
	"it said it was waiting for connections"
check_grep "$WORK/bg.err" "waiting for the database at .*read-only" "and then for writes"
check_grep "$WORK/bg.out" "^Done: 1 step" "and migrated"
check_eq "$(rows)$(history_count $S2)" "${S2}2" "the step is applied (its second time in this database)"

begin "signals while waiting: for the lock, for the server"
slow_project sigwait
start_slow
holder=$bg
"$RETORT_BIN" upgrade >"$WORK/w.out" 2>"$WORK/w.err" &
w=$!
sleep 1
kill -TERM $w
wait $w
check_eq "$?" 143 "SIGTERM while waiting for the lock"
check_grep "$WORK/w.err" "interrupted while waiting for the migration lock" "the message says so"
wait $holder
check_eq "$?" 0 "the holder is unaffected"
"$RETORT_BIN" -d "postgresql://x@127.0.0.1:1/x" --wait 30 current >"$WORK/w.out" 2>"$WORK/w.err" &
w=$!
sleep 1
kill -INT $w
wait $w
check_eq "$?" 130 "SIGINT while waiting for the server"

begin "a failing statement: exit 6 with file:line:col, SQLSTATE and the server's message"
project badsql
fresh_db badsql
cat >versions/aaaa00000001_a.py <<'PY'
"""a"""
from alembic import op

revision = 'aaaa00000001'
down_revision = None


def upgrade():
    op.execute("CREATE TABLE t_a (id int)")
    op.execute("""
        INSERT INTO t_a (id)
        VALUES (1), (2);
        INSERT INTO t_a (id) VALUES (nosuchcol)
    """)


def downgrade():
    op.execute("DROP TABLE t_a")
PY
mkrev bbbb00000002_side.py $S2 "'$S1'" "SELECT 1" "SELECT 1"
cat >versions/bbbb00000002_side.sql <<'SQL'
-- retort:upgrade
CREATE TABLE t_b (id int);
INSERT INTO t_b VALUES (1);
INSERT INTO t_b
  VALUES ('x');
-- retort:downgrade
DROP TABLE t_b;
SQL
expect 6 retort upgrade
check_grep "$ERR" "^versions/aaaa00000001_a\.py:13:38: error: upgrade of 'aaaa00000001' failed: column \"nosuchcol\" does not exist \(SQLSTATE 42703\)$" \
	"the .py error points into the op.execute string"
check_grep "$ERR" "^ +13 \|         INSERT INTO t_a \(id\) VALUES \(nosuchcol\)$" "the source line is shown"
check_grep "$ERR" "statement: INSERT INTO t_a" "the statement is shown"
check_eq "$(rows)$(relation t_a)" "f" "the failed step was rolled back"
expect 6 retort --format json upgrade
check_json "$OUT" 'one("error")["exit_code"] == 6 and ev[-1]["file"] == "versions/aaaa00000001_a.py"
	and ev[-1]["line"] == 13 and ev[-1]["col"] == 38 and ev[-1]["sqlstate"] == "42703"
	and ev[-1]["object"] == "aaaa00000001"' "the JSON error event"
sed -i 's/(nosuchcol)/(3)/' versions/aaaa00000001_a.py
expect 6 retort upgrade
check_grep "$ERR" "^versions/bbbb00000002_side\.sql:5:11: error: upgrade of 'bbbb00000002' failed: invalid input syntax for type integer: \"x\" \(SQLSTATE 22P02\)$" \
	"the sidecar error points at the value"
check_eq "$(rows)$(q 'SELECT count(*) FROM t_a')$(relation t_b)" "${S1}3f" \
	"per-migration: the first step stays, the second is rolled back"
expect 0 retort downgrade base
expect 6 retort --transaction single upgrade
check_eq "$(rows)$(relation t_a)" "f" "single: the whole run is rolled back"

begin "--statement-lock-timeout: a blocked step is retried until the table is free"
project locks
fresh_db locks
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_alter.py $S2 "'$S1'" "ALTER TABLE t_a ADD COLUMN note text" "ALTER TABLE t_a DROP COLUMN note"
expect 0 retort upgrade $S1
q "BEGIN; LOCK TABLE t_a IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2.5); COMMIT" >/dev/null &
blocker=$!
backend_pid '%LOCK TABLE t_a%' >/dev/null || fail "the blocking session never started"
expect 0 retort --statement-lock-timeout 1s upgrade
check_grep "$OUT" "lock timeout; retrying in [0-9.]+ s \(attempt 1\)" "the step was retried"
check_eq "$(rows)$(history_count $S2)" "${S2}1" "and then applied once"
check_eq "$(q "SELECT count(*) FROM information_schema.columns WHERE table_name = 't_a'
	AND column_name = 'note'")" 1 "the column exists"
wait $blocker
expect 0 retort downgrade $S1
q "BEGIN; LOCK TABLE t_a IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2.5); COMMIT" >/dev/null &
blocker=$!
backend_pid '%LOCK TABLE t_a%' >/dev/null || fail "the blocking session never started"
expect 0 retort --format json --statement-lock-timeout 500ms upgrade
check_json "$OUT" 'ev[[e["event"] for e in ev].index("step_retry")]["attempt"] == 1
	and ev[-1]["event"] == "summary"' "step_retry events"
wait $blocker
finish
