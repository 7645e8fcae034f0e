#!/usr/bin/env bash
# Lock-timeout retries (--statement-lock-timeout): Ctrl-C during a backoff ends the run at
# once, and runners blocked together come back at different times (the jitter differs
# from process to process).
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S1=aaaa00000001 S2=bbbb00000002

# watch_retort UNTIL-SQL: polls pg_stat_activity every 5 ms, in the server, for at most
# 60 s, until UNTIL-SQL (a boolean over `seen`, the retort sessions' backoffs) holds. A
# retort session in a backoff is idle on the ROLLBACK of its failed attempt; `seen` keeps
# (pid, attempt) for each backoff begun, counting its session's attempts at the step.
watch_retort() {
	q "CREATE TEMP TABLE seen (pid int, attempt int, PRIMARY KEY (pid, attempt));
	DO \$\$
	DECLARE
		r record;
		started timestamptz := clock_timestamp();
	BEGIN
		CREATE TEMP TABLE last (pid int PRIMARY KEY, query_start timestamptz, attempts int);
		WHILE clock_timestamp() < started + interval '60 s' LOOP
			PERFORM pg_stat_clear_snapshot();
			FOR r IN SELECT pid, state, query, query_start FROM pg_stat_activity
			         WHERE application_name = 'retort' AND datname = current_database() LOOP
				IF r.query LIKE '$STEP_SQL%' THEN
					INSERT INTO last VALUES (r.pid, r.query_start, 1)
					ON CONFLICT (pid) DO UPDATE SET query_start = excluded.query_start,
						attempts = last.attempts + 1
					WHERE last.query_start IS DISTINCT FROM excluded.query_start;
				ELSIF r.state = 'idle' AND r.query = 'ROLLBACK' THEN
					INSERT INTO seen SELECT r.pid, attempts FROM last WHERE pid = r.pid
					ON CONFLICT DO NOTHING;
				END IF;
			END LOOP;
			IF $1 THEN
				RETURN;
			END IF;
			PERFORM pg_sleep(0.005);
		END LOOP;
		RAISE EXCEPTION 'not seen within 60 s: $1';
	END
	\$\$"
}
# block_table T SECONDS: a background session holding T's ACCESS EXCLUSIVE lock ($blocker).
block_table() {
	q "BEGIN; LOCK TABLE $1 IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($2); COMMIT" \
		>/dev/null 2>&1 &
	blocker=$!
	backend_pid "%LOCK TABLE $1%" >/dev/null || fail "the blocking session never started"
}
unblock() {
	q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity
	   WHERE query LIKE '%LOCK TABLE%' AND pid <> pg_backend_pid()" >/dev/null
	wait $blocker
}

begin "SIGINT during a lock-timeout backoff: exit 130 within 1 s"
project sigint
fresh_db sigint
STEP_SQL="ALTER TABLE t_a"
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_alter.py $S2 "'$S1'" "ALTER TABLE t_a ADD COLUMN note text" "ALTER TABLE t_a DROP COLUMN note"
expect 0 retort upgrade $S1
block_table t_a 60
"$RETORT_BIN" --statement-lock-timeout 100ms upgrade >"$WORK/sigint.out" 2>"$WORK/sigint.err" &
runner=$!
# the third backoff lasts 1.5 to 2.5 s
watch_retort "EXISTS (SELECT FROM seen WHERE attempt = 3)" >/dev/null ||
	fail "retort never began its third backoff"
t0=$(date +%s%N)
kill -INT $runner
wait $runner
rc=$?
t1=$(date +%s%N)
check_eq "$rc" 130 "retort exits 130"
ms=$(((t1 - t0) / 1000000))
if [ "$ms" -lt 1000 ]; then pass; else fail "retort took $ms ms to stop after SIGINT"; fi
check_grep "$WORK/sigint.err" "interrupted" "the message says so"
unblock
check_eq "$(rows)$(history_count $S2)" "${S1}0" "the step was not applied"
check_eq "$(advisory_locks)" 0 "the migration lock was released"

begin "32 runners blocked together retry at different times"
project spread
fresh_db spread
N=32
STEP_SQL="SELECT count(*) FROM public.t_shared"
mkrev ${S1}_read.py $S1 None "$STEP_SQL" "SELECT 1"
q "CREATE TABLE t_shared (id int)"
# each runner has a version table (and so a migration lock) of its own; the lock timeout
# of 1 s leaves slow starters time to join before the first runners run out of retries
for i in $(seq $N); do q "CREATE SCHEMA s$i"; done
block_table t_shared 120
pids=()
for i in $(seq $N); do
	"$RETORT_BIN" --format json --statement-lock-timeout 1s --version-table-schema "s$i" \
		upgrade >"$WORK/spread.$i.out" 2>"$WORK/spread.$i.err" &
	pids+=($!)
done
watch_retort "(SELECT count(DISTINCT pid) FROM seen) = $N" >/dev/null ||
	fail "not every runner hit the lock timeout"
unblock
for i in $(seq $N); do
	wait "${pids[$((i - 1))]}"
	check_eq "$?" 0 "runner $i exit status"
done
# the first retry's delay of each runner: 0.5 s times 0.75 to 1.25, shown to 1/100 s
"$PY" - "$WORK"/spread.*.out >"$WORK/spread.check" 2>&1 <<'PY'
import json, sys
delays = []
for path in sys.argv[1:]:
    ev = [json.loads(l) for l in open(path)]
    delays += [e["delay_seconds"] for e in ev if e["event"] == "step_retry" and e["attempt"] == 1]
ok = (len(delays) == len(sys.argv) - 1 and all(0.37 <= d <= 0.63 for d in delays)
      and len(set(delays)) >= 8 and max(delays) - min(delays) >= 0.1)
print("first delays:", sorted(delays))
sys.exit(0 if ok else 1)
PY
if [ $? -eq 0 ]; then pass; else fail "the first retries are not spread: $(cat "$WORK/spread.check")"; fi
finish
