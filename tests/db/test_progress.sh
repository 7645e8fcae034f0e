#!/usr/bin/env bash
# Live progress of long steps: on a terminal (a tmux pane), a step past 2 s shows its
# elapsed time and, for CREATE INDEX, the phase and blocks from pg_stat_progress_create_index
# (read over a second session); without a terminal nothing of it appears, and JSON gets
# "progress" events only with --progress.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v tmux >/dev/null; then
	if [ "${CI:-}" = true ]; then
		echo "tmux is missing (scripts/install-deps installs it); CI=true: failing"
		exit 1
	fi
	echo "tmux is missing (scripts/install-deps installs it); skipping"
	exit 0
fi

project progress
# 2500 rows through an IMMUTABLE function that sleeps 2 ms: a CREATE INDEX of ~5 s
mkrev p1_slow.py p1 None "CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 2500); CREATE FUNCTION slow(i int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS 'BEGIN PERFORM pg_sleep(0.002); RETURN i; END'" "DROP TABLE big; DROP FUNCTION slow"
mkrev p2_index.py p2 "'p1'" "CREATE INDEX ix_big_slow ON big ((slow(id)))" "DROP INDEX ix_big_slow"
# CLUSTER rebuilds that index (~5 s); the rewrite of a volatile default rebuilds it again,
# which PostgreSQL does not report
mkrev p3_cluster.py p3 "'p2'" "CLUSTER big USING ix_big_slow" "SELECT 1"
mkrev p4_rewrite.py p4 "'p3'" "ALTER TABLE big ADD COLUMN r float8 DEFAULT random()" "ALTER TABLE big DROP COLUMN r"
# outside the step's transaction (run alone, not batched): ~2.5 s to build, as much to validate
cat >versions/p5_concurrently.py <<'EOT'
"""p5 test revision"""
from alembic import op

revision = 'p5'
down_revision = 'p4'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_big_half ON big ((slow(id))) WHERE id <= 1200")


def downgrade():
    op.execute("DROP INDEX ix_big_half")
EOT
expect 0 retort upgrade p1

begin "on a terminal: elapsed time, phase and blocks, then the step's duration"
session=retort-progress-$$
pane=$WORK/pane
tmux new-session -d -s "$session" -x 200 -y 10 \
	"cd '$PWD' && RETORT_DATABASE_URL='$RETORT_DATABASE_URL' '$RETORT_BIN' upgrade p2; echo EXIT=\$?; sleep 60"
: >"$pane"
for _ in $(seq 60); do
	sleep 0.5
	tmux capture-pane -p -t "$session" >>"$pane"
	grep -q '^EXIT=' "$pane" && break
done
tmux kill-session -t "$session" 2>/dev/null
OUT=$pane
check_grep "$pane" 'Running upgrade p1 -> p2.* [0-9]+\.[0-9] s, CREATE INDEX: building index: scanning table, [0-9]+/[0-9]+ blocks \([0-9]+%\)' \
	"the captured pane shows elapsed time, phase and blocks"
check_grep "$pane" 'Running upgrade p1 -> p2, p2 test revision \.\.\. [0-9]{4,} ms$' \
	"the line ends as before: the step's duration over the progress"
check_grep "$pane" '^EXIT=0$' "the upgrade succeeded"
check_eq "$(rows)" p2 "at p2"

begin "a narrow terminal: the rewritten line is cut to its width, nothing is left behind"
expect 0 retort downgrade p1
: >"$pane"
tmux new-session -d -s "$session" -x 70 -y 10 \
	"cd '$PWD' && RETORT_DATABASE_URL='$RETORT_DATABASE_URL' '$RETORT_BIN' upgrade p2; echo EXIT=\$?; sleep 60"
for _ in $(seq 60); do
	sleep 0.5
	tmux capture-pane -p -t "$session" >>"$pane"
	grep -q '^EXIT=' "$pane" && break
done
tmux capture-pane -p -t "$session" >"$WORK/final"
tmux kill-session -t "$session" 2>/dev/null
OUT=$pane
check_grep "$pane" '^Running upgrade p1 -> p2, p2 test revision \.\.\. [0-9]+\.[0-9] s, CREATE IN' \
	"the progress shows, cut at 69 columns"
check_nogrep "$pane" '^.{70}' "no line wider than the pane"
OUT=$WORK/final
check_eq "$(grep -c 'Running upgrade p1 -> p2' "$WORK/final")" 1 "one step line on the final screen"
check_grep "$WORK/final" '^Running upgrade p1 -> p2, p2 test revision \.\.\. [0-9]{4,} ms$' \
	"it ends with the duration"
check_nogrep "$WORK/final" 'CREATE INDEX|blocks' "no progress left on the screen"

begin "without a terminal: none of it"
expect 0 retort downgrade p1
expect 0 retort upgrade p2
check_nogrep "$OUT" $'\r|CREATE INDEX:|[0-9]\\.[0-9] s' "no progress in piped text"
check_grep "$OUT" 'p2 test revision \.\.\. [0-9]{4,} ms$' "the step took seconds"
expect 0 retort downgrade p1
expect 0 retort --format json upgrade p2
check_json "$OUT" '"progress" not in names' "no progress events in piped JSON"

begin "JSON with --progress: progress events"
expect 0 retort downgrade p1
expect 0 retort --format json upgrade p2 --progress
check_json "$OUT" 'any(e["event"] == "progress" and e["revision"] == "p2" and e["elapsed_ms"] >= 2000
	and e["command"] == "CREATE INDEX" and e["phase"].startswith("building index")
	and e["blocks_total"] > 0 for e in ev)
	and all(e["elapsed_ms"] >= 2000 for e in ev if e["event"] == "progress")
	and names.index("progress") > names.index("step_start")
	and names.index("progress") < names.index("step_done")' \
	"elapsed time, command, phase and blocks between step_start and step_done"
check_eq "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retort progress'")" 0 \
	"the second session is closed"

begin "CLUSTER from pg_stat_progress_cluster; an ALTER TABLE rewrite: elapsed time only"
expect 0 retort --format json upgrade p4 --progress
check_json "$OUT" 'any(e["event"] == "progress" and e["revision"] == "p3" and e["command"] == "CLUSTER"
	and e["phase"] and e.get("tuples_done", -1) >= 0 for e in ev)
	and any(e["event"] == "progress" and e["revision"] == "p4" for e in ev)
	and all(e["command"] is None and e["phase"] is None and "blocks_done" not in e
	        for e in ev if e["event"] == "progress" and e["revision"] == "p4")' \
	"CLUSTER's phase and tuples; the rewrite reports no command and no counts"

begin "CREATE INDEX CONCURRENTLY, run alone outside the step's transaction"
expect 0 retort --format json upgrade p5 --progress
check_json "$OUT" 'any(e["event"] == "progress" and e["revision"] == "p5"
	and e["command"] == "CREATE INDEX CONCURRENTLY" and e["phase"] for e in ev)' \
	"its command and phase"

finish
