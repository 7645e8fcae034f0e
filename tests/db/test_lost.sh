#!/usr/bin/env bash
# A lost connection is not a failed migration: pg_terminate_backend (57P01) and a fast
# server restart mid-step exit 4 naming the step, its transaction rolled back; the
# version table keeps the previous step; a re-run applies each step once. A step whose
# no-transaction statements had run names them (committed, or cut off).
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

S1=aaaa00000001 S2=bbbb00000002 S3=cccc00000003

# three_steps NAME SLOW-SQL: t_a, t_b, then a slow third step (its table first).
three_steps() {
	project "$1"
	mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
	mkrev ${S2}_b.py $S2 "'$S1'" "CREATE TABLE t_b (id int)" "DROP TABLE t_b"
	mkrev ${S3}_slow.py $S3 "'$S2'" "$2" "DROP TABLE IF EXISTS t_slow"
	fresh_db "$1"
}
start_upgrade() {
	"$RETORT_BIN" upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
	bg=$!
	backend_pid '%pg_sleep(5)%' >/dev/null || fail "retort never reached its slow step"
}
# terminate_slow: pg_terminate_backend of the session running the slow statement (57P01).
terminate_slow() {
	q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(5)%'
	   AND pid <> pg_backend_pid()" >/dev/null
}
# lost_in_s3 WHAT: exit 4 with the message and hint; S2 current, S3 not applied.
lost_in_s3() {
	wait $bg
	check_eq "$?" 4 "$1: a lost connection exits 4"
	check_grep "$WORK/bg.err" \
		"the server closed the connection during upgrade of '$S3'; its transaction was rolled back" \
		"$1: the message names the step"
	check_grep "$WORK/bg.err" "the step is not at fault: run 'retort current'" \
		"$1: the hint says the step is fine and how to see the state"
	check_nogrep "$WORK/bg.err" "fix the migration" "$1: no blame on the migration"
	check_eq "$(rows)$(relation t_slow)$(history_count $S3)" "${S2}f0" \
		"$1: the version table shows the previous step, the step rolled back"
}
rerun_once() {
	expect 0 retort --wait 20 upgrade
	check_eq "$(rows)$(history_count $S1)$(history_count $S2)$(history_count $S3)" "${S3}111" \
		"$1: the re-run finishes, each step applied once"
}

begin "pg_terminate_backend during a batched step (57P01): exit 4, not a failed migration"
three_steps terminate "SELECT pg_sleep(5)"
start_upgrade
terminate_slow
lost_in_s3 "terminated"
check_grep "$WORK/bg.err" "terminating connection due to administrator command" \
	"the server's words are kept as detail"
check_nogrep "$WORK/bg.err" "committed before" "no no-transaction statement is named"
rerun_once "terminated"

begin "pg_terminate_backend during a statement sent alone: the same"
three_steps terminate_alone "CREATE TABLE t_slow (id int); SELECT pg_sleep(5)"
start_upgrade
terminate_slow
lost_in_s3 "terminated, alone"
rerun_once "terminated, alone"

begin "a fast server restart mid-step: exit 4, a re-run applies each step once"
three_steps restart "CREATE TABLE t_slow (id int); SELECT pg_sleep(5)"
start_upgrade
if ! pg_ctl -m fast restart; then
	fail "pg_ctl restart failed; see $RETORT_TEST_CLUSTER/server.log"
	finish
fi
lost_in_s3 "restarted"
rerun_once "restarted"

begin "cut off after a no-transaction statement ran: named, nothing repeated blindly"
three_steps notx "SELECT 1"
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
        op.execute("CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_t_a_id_a_long_name_to_cut ON t_a (id)")
        op.execute("SELECT pg_sleep(5)")


def downgrade():
    op.execute("DROP TABLE t_slow")
EOT
start_upgrade
terminate_slow
wait $bg
check_eq "$?" 4 "exit 4"
check_grep "$WORK/bg.err" "the server closed the connection during upgrade of '$S3'" "the message names the step"
check_grep "$WORK/bg.err" \
	"committed before the connection was lost: CREATE TABLE t_slow \(id int\)$" \
	"the statement committed before the block is named"
check_grep "$WORK/bg.err" \
	"committed before the connection was lost: CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_t_a_id_a_long_nam \.\.\.$" \
	"the index built outside the transaction is named, cut at 60 characters"
check_grep "$WORK/bg.err" "cut off while running, outside the step's transaction: SELECT pg_sleep\(5\)" \
	"the statement that was running is named as cut off"
check_grep "$WORK/bg.err" "ran outside its transaction and will run again with it: check their effect" \
	"the hint says to check them before running again"
check_eq "$(rows)$(relation t_slow)$(relation ix_t_a_id_a_long_name_to_cut)" "${S2}tt" \
	"the version table shows the previous step; the no-transaction work stays"
finish
