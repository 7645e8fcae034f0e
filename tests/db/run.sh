#!/usr/bin/env bash
# Runs retort's database tests: starts one throwaway PostgreSQL (scripts/pg-harness),
# gives each test script a fresh database, its own work directory and the retort binary,
# prints one `ok`/`FAIL` line per script and stops the server on any exit.
#   tests/db/run.sh RETORT_BINARY TEST.sh...
# No PostgreSQL or no Alembic: exit 77 (meson's skip); with CI=true that is a failure.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
harness=${RETORT_PG_HARNESS:-$here/../../scripts/pg-harness}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
python=${RETORT_PYTHON:-/usr/bin/python3}

if [ $# -lt 2 ]; then
	echo "usage: run.sh RETORT_BINARY TEST..." >&2
	exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
[ -x "$bin" ] || { echo "run.sh: '$bin' is not an executable" >&2; exit 2; }

missing() {
	if [ "${CI:-}" = true ]; then
		echo "run.sh: $1 (CI=true: failing)" >&2
		exit 1
	fi
	echo "run.sh: $1; skipping" >&2
	exit 77
}
[ -x "$pgbin/initdb" ] || missing "PostgreSQL not found in '$pgbin'"
"$python" -c 'import alembic, psycopg2' 2>/dev/null || missing "Alembic or psycopg2 not importable by '$python'"

# A run killed before its trap ran leaves its server behind: stop those whose runner is gone.
for old in /tmp/retort-dbtest.*; do
	owner=$(cat "$old/owner" 2>/dev/null) || continue
	kill -0 "$owner" 2>/dev/null && continue
	"$harness" stop "$old/cluster" >/dev/null 2>&1
	rm -rf -- "$old"
done

top=$(mktemp -d /tmp/retort-dbtest.XXXXXX) || exit 1
echo $$ >"$top/owner"
chmod 711 "$top" # the server runs as postgres when we are root
trap '"$harness" stop "$top/cluster" >/dev/null 2>&1; rm -rf -- "$top"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

env=$("$harness" start "$top/cluster") || { echo "run.sh: the server did not start" >&2; exit 1; }
eval "$env"
export RETORT_BIN=$bin RETORT_PG_BIN=$pgbin RETORT_PYTHON=$python
export RETORT_TEST_FIXTURES=$here/fixtures RETORT_TEST_CLUSTER=$top/cluster
export RETORT_PG_HARNESS=$harness
unset DATABASE_URL RETORT_DATABASE_URL_FILE DATABASE_URL_FILE

rc=0 n=0 skipped=0
for t in "$@"; do
	n=$((n + 1))
	t=$(cd "$(dirname "$t")" && pwd)/$(basename "$t")
	name=$(basename "$t" .sh)
	work=$top/work/$name
	mkdir -p "$work"
	db=t${n}_$(printf '%s' "$name" | tr -c 'a-z0-9_' '_')
	export RETORT_TEST_WORK=$work RETORT_TEST_DB=$db
	export RETORT_DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/$db"
	"$pgbin/createdb" -h "$PGHOST" -p "$PGPORT" -U postgres "$db" || { rc=1; continue; }
	start=$SECONDS
	(cd "$work" && bash "$t") >"$work.log" 2>&1
	trc=$?
	summary=$(tail -n 1 "$work.log")
	if [ $trc -eq 0 ]; then
		echo "ok   $name ($((SECONDS - start)) s): $summary"
		[ "${RETORT_DB_VERBOSE:-}" = 1 ] && cat "$work.log"
	elif [ $trc -eq 77 ]; then
		echo "skip $name: $summary" # a component it needs is missing (never under CI=true)
		skipped=$((skipped + 1))
	else
		echo "FAIL $name (exit $trc, $((SECONDS - start)) s)"
		cat "$work.log"
		rc=1
	fi
done
[ $rc -eq 0 ] && [ $skipped -eq $n ] && exit 77
exit $rc
