#!/usr/bin/env bash
# Runs test binaries against a throwaway PostgreSQL: starts scripts/pg-harness in a
# temporary directory, exports its variables, runs every binary given, stops the
# server on any exit. No PostgreSQL: exit 77 (meson's skip), or failure when CI=true.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
harness=${RETORT_PG_HARNESS:-$here/../../scripts/pg-harness}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}

if [ $# -eq 0 ]; then
	echo "usage: run-pg-tests.sh TEST_BINARY..." >&2
	exit 2
fi
if [ ! -x "$pgbin/initdb" ]; then
	if [ "${CI:-}" = true ]; then
		echo "run-pg-tests: PostgreSQL not found in '$pgbin' (CI=true: failing)" >&2
		exit 1
	fi
	echo "run-pg-tests: PostgreSQL not found in '$pgbin'; skipping" >&2
	exit 77
fi

# A run killed before its trap ran (SIGKILL, a crash) leaves its server behind: stop
# those whose wrapper is gone, so they hold no ports or disk.
for old in /tmp/retort-pgtest.*; do
	owner=$(cat "$old/owner" 2>/dev/null) || continue
	kill -0 "$owner" 2>/dev/null && continue
	"$harness" stop "$old/cluster" >/dev/null 2>&1
	rm -rf -- "$old"
done

top=$(mktemp -d /tmp/retort-pgtest.XXXXXX) || exit 1
echo $$ >"$top/owner"
chmod 711 "$top" # the server runs as postgres when we are root
dir=$top/cluster
trap '"$harness" stop "$dir" >/dev/null 2>&1; rm -rf -- "$top"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

env=$("$harness" start "$dir") || { echo "run-pg-tests: the server did not start" >&2; exit 1; }
eval "$env"
export RETORT_PG_HARNESS=$harness

rc=0
for t in "$@"; do
	"$t" || rc=1
done
exit $rc
