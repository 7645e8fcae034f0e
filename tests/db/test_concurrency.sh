#!/usr/bin/env bash
# Concurrent runs: eight retorts at once apply each step exactly once; a second retort
# reports the lock holder and gives up after --lock-timeout or waits; a run with nothing
# to do needs no lock; retort beside a real Alembic (which takes no lock) fails cleanly
# and leaves a valid version table.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S1=aaaa00000001 S2=bbbb00000002 S3=cccc00000003

# slow_project NAME SLEEP-SQL: three steps; CREATE TABLE makes a second run of a step fail.
slow_project() {
	project "$1"
	mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
	mkrev ${S2}_slow.py $S2 "'$S1'" "$2" "DROP TABLE IF EXISTS t_slow"
	mkrev ${S3}_c.py $S3 "'$S2'" "CREATE TABLE t_c (id int)" "DROP TABLE t_c"
}
# valid_rows: the version table holds an antichain of known revisions (one linear
# chain here, so at most one row, and a known one).
valid_rows() {
	local r
	r=$(rows)
	case $r in '' | "$S1" | "$S2" | "$S3") pass ;; *) fail "$1: invalid version rows '$r'" ;; esac
}

begin "eight runs at once: every step once, version table at head"
slow_project eight "CREATE TABLE t_slow (id int); SELECT pg_sleep(1)"
fresh_db eight
pids=()
for i in 1 2 3 4 5 6 7 8; do
	"$RETORT_BIN" upgrade head >"$WORK/eight.$i.out" 2>"$WORK/eight.$i.err" &
	pids+=($!)
done
for i in 1 2 3 4 5 6 7 8; do
	wait "${pids[$((i - 1))]}"
	check_eq "$?" 0 "run $i exit status"
done
check_eq "$(rows)" $S3 "version table at head"
check_eq "$(q "SELECT string_agg(revision || '=' || n, ' ' ORDER BY revision) FROM
	(SELECT revision, count(*) n FROM retort_history GROUP BY revision) h")" \
	"$S1=1 $S2=1 $S3=1" "each revision in the history once"
check_eq "$(cat "$WORK"/eight.*.out | grep -c '^Done: 3 steps')" 1 "one run applied the plan"
check_eq "$(cat "$WORK"/eight.*.out | grep -c '^Nothing to do; at '$S3)" 7 "seven found nothing to do"
check_eq "$(cat "$WORK"/eight.*.err | grep -c 'waiting for the migration lock')" 7 \
	"the seven waiters reported the holder"
check_eq "$(advisory_locks)" 0 "no advisory lock left"

begin "--lock-timeout gives up with exit 5 naming the holder"
slow_project locked "CREATE TABLE t_slow (id int); SELECT pg_sleep(4)"
fresh_db locked
"$RETORT_BIN" upgrade >"$WORK/holder.out" 2>&1 &
holder=$!
hpid=$(backend_pid '%pg_sleep(4)%') || fail "the holder never reached its slow step"
expect 5 retort --lock-timeout 1 upgrade
check_grep "$ERR" "not acquired within 1 s: held by pid $hpid \(application 'retort'" \
	"the message names the holder's pid and application_name"
check_grep "$ERR" "pg_terminate_backend\($hpid\)" "the hint says how to end the holder"
expect 5 retort --format json --lock-timeout 1 upgrade
check_json "$OUT" 'one("lock_wait")["pid"] == '"$hpid"' and ev[0]["application_name"] == "retort"
	and one("error")["exit_code"] == 5' "lock_wait and error events"
run retort upgrade
check_eq "$RC" 0 "without a timeout the waiter succeeds"
check_grep "$ERR" "waiting for the migration lock \([0-9]+ s\), held by pid $hpid \(application 'retort'" \
	"the waiter reports the holder"
check_eq "$(cat "$OUT")" "Nothing to do; at $S3" "and then finds nothing to do"
wait $holder
check_eq "$?" 0 "the holder finished"
check_grep "$WORK/holder.out" "^Done: 3 steps" "the holder applied the plan"
check_eq "$(rows)" $S3 "rows at head"

begin "a run with nothing to do takes no lock; a run with work still waits for it"
slow_project idle "SELECT 1"
fresh_db idle
expect 0 retort upgrade
# another session holds the migration lock (the documented key) for a while
q "SELECT pg_advisory_lock(('x' || substr(md5('retort:' || current_database() || ':' ||
	current_schema() || ':' || 'alembic_version'), 1, 16))::bit(64)::bigint), pg_sleep(4)" >/dev/null &
locker=$!
backend_pid '%pg_advisory_lock%' >/dev/null || fail "the locking session never started"
expect 0 retort --lock-timeout 0 upgrade
check_eq "$(cat "$OUT")" "Nothing to do; at $S3" "at head: done without the lock"
expect 0 retort --lock-timeout 0 verify
expect 5 retort --lock-timeout 0 downgrade $S2
check_grep "$ERR" "migration lock .* not acquired within 0 s" "a run with work needs the lock"
check_eq "$(rows)" $S3 "and changed nothing"
wait $locker
expect 0 retort --lock-timeout 0 downgrade $S2
check_eq "$(rows)" $S2 "once it is free, the run goes ahead"

begin "retort and Alembic race on one step's DDL"
slow_project race_ddl "CREATE TABLE t_slow (id int); SELECT pg_sleep(2)"
fresh_db race_ddl
expect 0 retort upgrade $S1
"$RETORT_BIN" upgrade >"$WORK/race1.out" 2>&1 &
r=$!
backend_pid 'CREATE TABLE t_slow%' >/dev/null || fail "retort never reached its slow step"
expect 1 alembic upgrade head
check_grep "$ERR" "already exists" "Alembic fails on the table retort created"
wait $r
check_eq "$?" 0 "retort, which started first, finishes"
check_eq "$(rows)" $S3 "rows at head"
valid_rows "after the DDL race"

begin "Alembic moves the row under retort: retort's one-row guard refuses"
slow_project race_row "SELECT pg_sleep(2)"
fresh_db race_row
expect 0 retort upgrade $S1
alembic upgrade $S2 >"$WORK/race2.out" 2>&1 &
a=$!
backend_pid 'SELECT pg_sleep(2)%' >/dev/null || fail "Alembic never reached its slow step"
expect 7 retort upgrade $S2
check_grep "$ERR" "expected to update one row from '$S1' to '$S2' in 'alembic_version'; 0 found" \
	"the guard names the expected row"
check_grep "$ERR" "rows now: '$S2'" "and the rows found"
wait $a
check_eq "$?" 0 "Alembic finished its step"
valid_rows "after the row race"
check_eq "$(rows)$(history_count $S2)" "${S2}0" "retort's step was rolled back"
expect 0 retort upgrade
check_eq "$(rows)" $S3 "retort goes on from Alembic's row"

begin "retort moves the row under Alembic: Alembic's own check refuses"
fresh_db race_row2
expect 0 retort upgrade $S1
"$RETORT_BIN" upgrade $S2 >"$WORK/race3.out" 2>&1 &
r=$!
backend_pid 'SELECT pg_sleep(2)%' >/dev/null || fail "retort never reached its slow step"
expect 255 alembic upgrade $S2
check_grep "$OUT" "FAILED: Online migration expected to match one row when updating '$S1' to '$S2'" "Alembic's guard fires"
wait $r
check_eq "$?" 0 "retort finished its step"
valid_rows "after the reverse race"
check_eq "$(rows)$(history_count $S2)" "${S2}1" "retort's step is recorded once"
finish
