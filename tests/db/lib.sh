# shellcheck shell=bash
# Helpers for retort's database tests (sourced by each test_*.sh; run.sh provides the
# environment): running commands with their output captured, assertions that count
# checks and failures, psql and Alembic shortcuts, fresh databases and fixture copies.
set -uo pipefail

: "${RETORT_BIN:?run this through tests/db/run.sh}"
PGBIN=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
PY=${RETORT_PYTHON:-/usr/bin/python3}
FIX=$RETORT_TEST_FIXTURES
WORK=$RETORT_TEST_WORK
OUT=$WORK/.out
ERR=$WORK/.err
RC=0
checks=0
failures=0
section=""

# ---- running and asserting ----

begin() { section=$1; echo "== $1"; }
pass() { checks=$((checks + 1)); }
fail() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "FAIL [$section]: $*"
	[ -s "$OUT" ] && sed -n '1,40s/^/    stdout: /p' "$OUT"
	[ -s "$ERR" ] && sed -n '1,40s/^/    stderr: /p' "$ERR"
	return 0
}
# run CMD...: runs it with stdout in $OUT, stderr in $ERR, exit status in $RC.
run() {
	"$@" >"$OUT" 2>"$ERR"
	RC=$?
}
retort() { "$RETORT_BIN" "$@"; }
# expect RC CMD...: runs CMD and checks its exit status.
expect() {
	local want=$1
	shift
	run "$@"
	if [ "$RC" = "$want" ]; then pass; else fail "'$*' exited $RC, expected $want"; fi
}
check_eq() { # ACTUAL EXPECTED WHAT
	if [ "$1" = "$2" ]; then pass; else fail "$3: got '$1', expected '$2'"; fi
}
check_grep() { # FILE ERE WHAT
	if grep -Eq -- "$2" "$1"; then pass; else fail "$3: /$2/ not in $(basename "$1")"; fi
}
check_nogrep() { # FILE ERE WHAT
	if grep -Eq -- "$2" "$1"; then fail "$3: /$2/ found in $(basename "$1")"; else pass; fi
}
check_empty() { # FILE WHAT
	if [ -s "$1" ]; then fail "$2: $(basename "$1") is not empty"; else pass; fi
}
check_lines() { # FILE N WHAT
	check_eq "$(wc -l <"$1")" "$2" "$3"
}
# check_json FILE PYTHON-EXPR WHAT: every line of FILE is a JSON object with an "event";
# `ev` is the list of events and EXPR must be true.
check_json() {
	if "$PY" - "$1" "$2" <<'PY' >"$WORK/.json" 2>&1; then pass; else fail "$3: $(cat "$WORK/.json")"; fi
import json, sys
lines = open(sys.argv[1]).read().splitlines()
ev = [json.loads(l) for l in lines]
assert ev, "no output"
assert all(isinstance(e, dict) and "event" in e for e in ev), "an object without 'event'"
names = [e["event"] for e in ev]
def one(name):
    m = [e for e in ev if e["event"] == name]
    assert len(m) == 1, f"{len(m)} '{name}' events in {names}"
    return m[0]
ok = eval("(" + sys.argv[2] + "\n)")
assert ok, f"false: {sys.argv[2]}; events: {lines}"
PY
}
finish() {
	echo "$checks checks, $failures failed"
	[ "$failures" -eq 0 ]
	exit
}

# ---- the database ----

q() { "$PGBIN/psql" -X -Atq -v ON_ERROR_STOP=1 -d "$RETORT_DATABASE_URL" -c "$1"; }
# The version rows, sorted, space-separated ('' at base).
rows() { q "SELECT coalesce(string_agg(version_num, ' ' ORDER BY version_num), '') FROM alembic_version"; }
relation() { q "SELECT to_regclass('$1') IS NOT NULL"; } # t or f
history_count() { # REV [DIRECTION]
	q "SELECT count(*) FROM retort_history WHERE revision = '$1' AND direction = '${2:-upgrade}'"
}
# fresh_db NAME: a new empty database, made current for retort, Alembic and q.
fresh_db() {
	local db=${RETORT_TEST_DB}_$1
	"$PGBIN/createdb" -h "$PGHOST" -p "$PGPORT" -U postgres "$db" || exit 1
	export RETORT_DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/$db"
}
# schema_dump FILE [pg_dump args]: the schema without retort's history table and without
# the per-run \restrict lines of recent pg_dump releases.
schema_dump() {
	local f=$1
	shift
	"$PGBIN/pg_dump" --schema-only --no-owner -d "$RETORT_DATABASE_URL" "$@" |
		grep -v '^\\\(un\)\?restrict ' >"$f"
}
# backend_pid SQL-LIKE: the pid of the session running a matching statement, polled for 10 s.
backend_pid() {
	local pid
	for _ in $(seq 100); do
		pid=$(q "SELECT pid FROM pg_stat_activity WHERE query LIKE '$1' AND state = 'active'
		         AND pid <> pg_backend_pid() LIMIT 1")
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		sleep 0.1
	done
	return 1
}
# idle_db: waits (10 s at most) until no other session is connected to the test database.
idle_db() {
	for _ in $(seq 100); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		        AND pid <> pg_backend_pid()")" = 0 ] && return 0
		sleep 0.1
	done
	return 1
}
advisory_locks() { q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"; }
# as_pg CMD...: as the cluster owner (the server runs as postgres when we are root).
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# pg_ctl ACTION [ARGS...]: stop, start or restart the test cluster (same port).
pg_ctl() {
	(cd "$RETORT_TEST_CLUSTER" && as_pg "$PGBIN/pg_ctl" -D "$RETORT_TEST_CLUSTER/data" \
		-l "$RETORT_TEST_CLUSTER/server.log" -o "-p $PGPORT" -w -t 30 "$@") \
		</dev/null >/dev/null 2>&1
}

# ---- projects ----

# project NAME [FIXTURE]: a private copy of a fixture (tests may edit it), made current.
project() {
	rm -rf "${WORK:?}/$1"
	if [ -n "${2:-}" ]; then
		cp -r "$FIX/$2" "$WORK/$1"
	else
		mkdir -p "$WORK/$1/versions"
		cp "$FIX/linear/env.py" "$FIX/linear/alembic.ini" "$WORK/$1/"
	fi
	cd "$WORK/$1" || exit 1
}
# mkrev FILE REV DOWN UPGRADE-SQL DOWNGRADE-SQL: a version file in ./versions whose bodies
# are one op.execute each (DOWN is a Python expression: None, 'abc', ('a', 'b')).
mkrev() {
	cat >"versions/$1" <<EOT
"""$2 test revision"""
from alembic import op

revision = '$2'
down_revision = $3
branch_labels = None
depends_on = None


def upgrade():
    op.execute("$4")


def downgrade():
    op.execute("$5")
EOT
}
# alembic ARGS...: real Alembic on the current project, URL from RETORT_DATABASE_URL.
alembic() { "$PY" -m alembic -c alembic.ini "$@"; }
