#!/usr/bin/env bash
# Timings for docs/operations.md (not a test): medians of N runs against one database of
# a throwaway cluster: a no-op `retort upgrade head` vs `psql -Atc 'select 1'`, and the
# linear fixture applied from empty by retort vs by Alembic.
#   tests/db/measure.sh RETORT_BINARY [N]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
n=${2:-9}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
top=$(mktemp -d /tmp/retort-dbmeasure.XXXXXX)
chmod 711 "$top"
trap '"$here/../../scripts/pg-harness" stop "$top/cluster" >/dev/null 2>&1; rm -rf -- "$top"' EXIT
eval "$("$here/../../scripts/pg-harness" start "$top/cluster")"
"$pgbin/createdb" -h "$PGHOST" -p "$PGPORT" bench
export RETORT_DATABASE_URL="postgresql://postgres@127.0.0.1:$PGPORT/bench"
cp -r "$here/fixtures/linear" "$top/linear"
cd "$top/linear"

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); echo $(((t1 - t0) / 1000)); }
median() { sort -n | awk '{v[NR] = $1} END {m = v[int((NR + 1) / 2)]; printf "%.1f ms\n", m / 1000}'; }
reset() { "$pgbin/psql" -X -q -d "$RETORT_DATABASE_URL" -c \
	'DROP SCHEMA public CASCADE; CREATE SCHEMA public' >/dev/null 2>&1; }

"$bin" upgrade head >/dev/null
echo "no-op retort upgrade head: $(for _ in $(seq "$n"); do ms "$bin" upgrade head; done | median)"
echo "psql -Atc 'select 1':      $(for _ in $(seq "$n"); do
	ms "$pgbin/psql" -X -Atc 'select 1' -d "$RETORT_DATABASE_URL"; done | median)"
echo "linear from empty, retort:  $(for _ in $(seq "$n"); do reset; ms "$bin" upgrade head; done | median)"
echo "linear from empty, Alembic: $(for _ in $(seq "$n"); do reset
	ms /usr/bin/python3 -m alembic -c alembic.ini upgrade head; done | median)"
