#!/usr/bin/env bash
# PgBouncer (Debian's pgbouncer, started here with a generated ini, auth_type trust on a
# free port) in front of the test cluster. Through transaction pooling, a writing command
# exits 2 naming the cause and the fixes before it takes the lock or writes anything;
# reading commands still work. Through session pooling everything works, including 8
# concurrent runners (each step applied once, all exit 0). Without pgbouncer: skipped
# (exit 77), or a failure when CI=true.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BOUNCER=${RETORT_PGBOUNCER:-$(command -v pgbouncer || echo /usr/sbin/pgbouncer)}
if [ ! -x "$BOUNCER" ]; then
	if [ "${CI:-}" = true ]; then
		fail "pgbouncer not found (scripts/install-deps installs it)"
		finish
	fi
	echo "skipped: pgbouncer not found (scripts/install-deps installs it)"
	exit 77
fi

# Two databases behind one pgbouncer: tx (pool_mode transaction) and se (session).
fresh_db se && SE_DB=${RETORT_TEST_DB}_se
fresh_db tx && TX_DB=${RETORT_TEST_DB}_tx
DIRECT_SE="postgresql://postgres@127.0.0.1:$PGPORT/$SE_DB"
DIRECT_TX="postgresql://postgres@127.0.0.1:$PGPORT/$TX_DB"
B=$WORK/bouncer
mkdir -p "$B"
BP=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$B/pgbouncer.ini" <<INI
[databases]
tx = host=127.0.0.1 port=$PGPORT dbname=$TX_DB pool_mode=transaction
se = host=127.0.0.1 port=$PGPORT dbname=$SE_DB pool_mode=session

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BP
unix_socket_dir =
auth_type = trust
auth_file = $B/userlist.txt
logfile = $B/pgbouncer.log
pidfile = $B/pgbouncer.pid
default_pool_size = 8
max_client_conn = 100
INI
echo '"postgres" ""' >"$B/userlist.txt"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$B" # pgbouncer refuses to run as root
trap 'kill "$(cat "$B/pgbouncer.pid" 2>/dev/null)" 2>/dev/null' EXIT
as_pg "$BOUNCER" -d -q "$B/pgbouncer.ini" || { fail "pgbouncer did not start: $(cat "$B/pgbouncer.log")"; finish; }
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$BP") 2>/dev/null && break; sleep 0.1; done
TX="postgresql://postgres@127.0.0.1:$BP/tx"
SE="postgresql://postgres@127.0.0.1:$BP/se"

S1=aaaa00000001 S2=bbbb00000002 S3=cccc00000003
project pool
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_b.py $S2 "'$S1'" "CREATE TABLE t_b (id int); SELECT pg_sleep(0.3)" "DROP TABLE t_b"
cat >versions/${S3}_c.py <<PYFILE
"""$S3 an index built concurrently"""
from alembic import op

revision = '$S3'
down_revision = '$S2'
branch_labels = None
depends_on = None


def upgrade():
    with op.get_context().autocommit_block():
        op.execute("CREATE INDEX CONCURRENTLY ix_t_a ON t_a (id)")


def downgrade():
    op.execute("DROP INDEX ix_t_a")
PYFILE
counts() { # URL: each revision's history rows, as REV:N
	"$PGBIN/psql" -X -Atq -d "$1" -c "SELECT string_agg(revision || ':' || n, ' ' ORDER BY revision)
		FROM (SELECT revision, count(*) n FROM retort_history WHERE direction = 'upgrade' GROUP BY 1) h"
}

begin "transaction pooling: exit 2 before the lock, naming the cause and the fixes"
expect 2 retort -d "$TX" upgrade
check_grep "$ERR" "'postgresql://postgres@127.0.0.1:$BP/tx' goes through a connection pooler in transaction pooling mode" \
	"the cause is named"
check_grep "$ERR" "detail: .*(server processes [0-9]+ and then [0-9]+|in this connection's server process \([0-9]+\) while it was idle)" \
	"the evidence is given"
check_grep "$ERR" "hint: give retort a direct URL to PostgreSQL for migrations .*or a pool with pool_mode = session" \
	"both fixes are named"
export RETORT_DATABASE_URL=$DIRECT_TX
check_eq "$(relation alembic_version)$(relation retort_history)$(relation t_a)" "fff" "nothing was written"
expect 2 retort -d "$TX" stamp head
expect 2 retort -d "$TX" --wait 5 upgrade
check_grep "$ERR" "transaction pooling mode" "--wait does not wait for a pooler's mode to change"
expect 0 retort -d "$TX" current
check_empty "$OUT" "reading commands work through it (nothing applied)"

begin "session pooling: an upgrade with a no-transaction section works"
export RETORT_DATABASE_URL=$DIRECT_SE
expect 0 retort -d "$SE" upgrade
check_eq "$(rows)" "$S3" "at the head"
check_eq "$(counts "$DIRECT_SE")" "$S1:1 $S2:1 $S3:1" "each step once"
check_eq "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_t_a'::regclass")" t \
	"the concurrent index is valid"
expect 0 retort -d "$SE" downgrade base
expect 0 retort -d "$SE" current
check_empty "$OUT" "back at base"

begin "session pooling: 8 concurrent runners, each step applied once"
q "TRUNCATE retort_history"
for i in 1 2 3 4 5 6 7 8; do
	"$RETORT_BIN" -d "$SE" upgrade >"$WORK/r$i.out" 2>"$WORK/r$i.err" &
	eval "pid$i=\$!"
done
for i in 1 2 3 4 5 6 7 8; do
	eval "wait \$pid$i"
	rc=$?
	check_eq "$rc" 0 "runner $i exits 0"
	[ "$rc" = 0 ] || cat "$WORK/r$i.err"
done
check_eq "$(rows)" "$S3" "at the head"
check_eq "$(counts "$DIRECT_SE")" "$S1:1 $S2:1 $S3:1" "each step applied once"
check_eq "$(advisory_locks)" 0 "no lock left behind"
finish
