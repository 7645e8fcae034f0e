#!/usr/bin/env bash
# --wait also covers a connection lost mid-run: retort reconnects, takes the lock again,
# reads the version table and runs the rest of the plan, each step applied once. Without
# --wait the run exits 4. A step whose no-transaction statements ran is not run again
# (exit 4 naming them, even with --wait; when its COMMIT was cut off, after reconnecting
# to see that it is not applied); a server that stays down ends the wait (exit 4).
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S1=aaaa00000001 S2=bbbb00000002 S3=cccc00000003 S4=dddd00000004

# four_steps NAME SLOW-SQL: t_a, t_b, a slow third step, then t_d.
four_steps() {
	project "$1"
	mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
	mkrev ${S2}_b.py $S2 "'$S1'" "CREATE TABLE t_b (id int)" "DROP TABLE t_b"
	mkrev ${S3}_slow.py $S3 "'$S2'" "$2" "DROP TABLE IF EXISTS t_slow"
	mkrev ${S4}_d.py $S4 "'$S3'" "CREATE TABLE t_d (id int)" "DROP TABLE t_d"
	fresh_db "$1"
}
# start_upgrade ARGS...: retort ARGS (upgrade when none names a command) in the
# background, once it runs the slow step.
start_upgrade() {
	case " $* " in *" downgrade "*) ;; *) set -- "$@" upgrade ;; esac
	"$RETORT_BIN" "$@" >"$WORK/bg.out" 2>"$WORK/bg.err" &
	bg=$!
	backend_pid '%pg_sleep(4)%' >/dev/null || fail "retort never reached its slow step"
}
restart_server() {
	pg_ctl -m fast restart || { fail "pg_ctl restart failed; see $RETORT_TEST_CLUSTER/server.log"; finish; }
}
counts() { echo "$(history_count $S1)$(history_count $S2)$(history_count $S3)$(history_count $S4)"; }
# all_once WHAT: at the head, every step recorded once in the history table.
all_once() {
	check_eq "$(rows) $(counts) $(q "SELECT count(*) FROM retort_history")" "$S4 1111 4" \
		"$1: at the head, each step applied once"
}

begin "a fast restart mid-step without --wait: exit 4"
four_steps nowait "CREATE TABLE t_slow (id int); SELECT pg_sleep(4)"
start_upgrade
restart_server
wait $bg
check_eq "$?" 4 "exit 4 without --wait"
check_grep "$WORK/bg.err" "the server closed the connection during upgrade of '$S3'" "the step is named"
check_nogrep "$WORK/bg.err" "reconnecting" "no reconnect without --wait"
check_eq "$(rows) $(counts)" "$S2 1100" "the first two steps applied, the slow one rolled back"

begin "a fast restart mid-step with --wait: reconnects and finishes, each step once"
four_steps restart "CREATE TABLE t_slow (id int); SELECT pg_sleep(4)"
start_upgrade --wait 30
restart_server
wait $bg
check_eq "$?" 0 "exit 0 with --wait"
cp "$WORK/bg.err" "$ERR"
check_grep "$ERR" "the server closed the connection during upgrade of '$S3'; its transaction was rolled back; reconnecting \(--wait 30 s\)" \
	"the loss and the reconnect are reported"
check_grep "$WORK/bg.out" "Done: 4 steps" "the summary counts every step done, before and after"
check_eq "$(grep -c "^Running upgrade $S2 -> $S3, $S3 test revision \.\.\. connection lost\$" "$WORK/bg.out")$(grep -c "^Running upgrade $S2 -> $S3, .* ms\$" "$WORK/bg.out")" 11 \
	"the step's line says the connection was lost, and the step runs again"
all_once "restart"
check_eq "$(relation t_slow)$(relation t_d)" "tt" "the slow step and the one after it ran"

begin "the same with --format json and transaction: single"
four_steps single "CREATE TABLE t_slow (id int); SELECT pg_sleep(4)"
printf 'transaction: single\n' >retort.yaml
start_upgrade --wait 30 --format json
restart_server
wait $bg
check_eq "$?" 0 "exit 0"
check_json "$WORK/bg.out" \
	"one('reconnect')['wait_seconds'] == 30 and 'closed the connection' in one('reconnect')['reason'] and [e['event'] for e in ev].count('plan') == 2 and one('summary')['steps'] == 4" \
	"a reconnect event, the plan made again, the summary counting 4 steps"
all_once "single"

begin "downgrade -2 with a restart in its second step: --wait ends where -2 first pointed"
four_steps relative "SELECT 1"
mkrev ${S3}_slow.py $S3 "'$S2'" "CREATE TABLE t_slow (id int)" "DROP TABLE t_slow; SELECT pg_sleep(4)"
expect 0 retort upgrade
start_upgrade --wait 30 downgrade -2
restart_server
wait $bg
check_eq "$?" 0 "exit 0"
check_eq "$(rows) $(history_count $S4 downgrade)$(history_count $S3 downgrade)$(history_count $S2 downgrade)" \
	"$S2 110" "at the revision -2 named at the start, each downgrade once"

begin "pg_terminate_backend of the step with --wait: reconnects at once"
four_steps terminate "SELECT pg_sleep(4)"
start_upgrade --wait 30
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(4)%'
   AND pid <> pg_backend_pid()" >/dev/null
wait $bg
check_eq "$?" 0 "exit 0"
all_once "terminated"
check_eq "$(advisory_locks)" 0 "the lock is released"

begin "a no-transaction section cut off: exit 4 naming what ran, even with --wait"
four_steps notx "SELECT 1"
cat >versions/${S3}_slow.py <<EOT
"""$S3 test revision"""
from alembic import op

revision = '$S3'
down_revision = '$S2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE t_slow (id int)")
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON t_a (id)")
        op.execute("SELECT pg_sleep(4)")


def downgrade():
    op.execute("DROP TABLE t_slow")
EOT
start_upgrade --wait 30
restart_server
wait $bg
check_eq "$?" 4 "exit 4 with --wait"
check_grep "$WORK/bg.err" "committed before the connection was lost: CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON t_a \(id\)" \
	"the statement that ran outside the transaction is named"
check_grep "$WORK/bg.err" "cut off while running, outside the step's transaction: SELECT pg_sleep\(4\)" \
	"the one running is named as cut off"
check_grep "$WORK/bg.err" "not resumed \(--wait\): statements of the step ran outside its transaction" \
	"--wait says why it did not resume"
check_nogrep "$WORK/bg.err" "reconnecting" "no reconnect was tried"
check_eq "$(rows) $(counts)" "$S2 1100" "the step is not applied, nothing ran twice"

begin "lost while committing a step whose no-transaction statements ran: reconnects, finds it not applied, exit 4"
four_steps commit "SELECT 1"
# the COMMIT of the third step runs a deferred trigger that sleeps: the session is ended there
cat >versions/${S3}_slow.py <<EOT
"""$S3 test revision"""
from alembic import op

revision = '$S3'
down_revision = '$S2'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_a ON t_a (id)")
    op.execute("CREATE TABLE t_c (id int)")
    op.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN PERFORM pg_sleep(4); RETURN NULL; END\$\$")
    op.execute("CREATE CONSTRAINT TRIGGER t_c_slow AFTER INSERT ON t_c DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()")
    op.execute("INSERT INTO t_c VALUES (1)")


def downgrade():
    op.execute("DROP TABLE t_c")
EOT
"$RETORT_BIN" --wait 30 upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
backend_pid 'COMMIT' >/dev/null || fail "retort never committed the third step"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'COMMIT'
   AND state = 'active' AND pid <> pg_backend_pid()" >/dev/null
wait $bg
check_eq "$?" 4 "exit 4"
check_grep "$WORK/bg.err" "the server closed the connection while committing upgrade of '$S3'; whether it was committed is unknown; reconnecting" \
	"it reconnects to find out"
check_grep "$WORK/bg.err" "not resumed \(--wait\): statements of the step ran outside its transaction" \
	"then refuses to run the step again"
check_eq "$(rows) $(counts) $(relation ix_a)$(relation t_c)" "$S2 1100 tf" \
	"the step is not applied; its index, built outside, stays"

begin "a server that stays down: --wait runs out, exit 4"
four_steps down "SELECT pg_sleep(4)"
start_upgrade --wait 2
pg_ctl -m fast stop || fail "pg_ctl stop failed"
wait $bg
check_eq "$?" 4 "exit 4"
check_grep "$WORK/bg.err" "the server closed the connection during upgrade of '$S3'; its transaction was rolled back; reconnecting: the database at '.*' did not accept connections and writes within 2 s" \
	"the message says what was lost and that reconnecting ran out"
pg_ctl start || { fail "pg_ctl start failed"; finish; }
check_eq "$(rows) $(counts)" "$S2 1100" "the first two steps stay applied"
expect 0 retort upgrade
all_once "re-run"
finish
