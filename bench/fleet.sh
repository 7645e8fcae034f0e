#!/usr/bin/env bash
# fleet.sh: fleets at scale, for docs/benchmarks.md (not a test). Against a throwaway cluster
# (scripts/pg-harness): DBS databases (default 200), and separately SCHEMAS schemas of one
# database (default 1000), each upgraded from empty with migrations-example/, with -j 1 and
# -j 4; wall time, the ratio, and peak RSS (GNU time: the largest of retort and its
# children) against a small fleet and psql's.
#   bench/fleet.sh            RETORT=path (default build/src/cli/retort), DBS=, SCHEMAS=
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
retort=${RETORT:-$root/build/src/cli/retort}
case $retort in /*) ;; *) retort=$root/$retort ;; esac
[ -x "$retort" ] || { echo "fleet.sh: no retort binary at '$retort'" >&2; exit 1; }
dbs=${DBS:-200}
schemas=${SCHEMAS:-1000}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}

work=$(mktemp -d /tmp/retort-fleet.XXXXXX)
chmod 755 "$work"
cleanup() {
	"$root/scripts/pg-harness" stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
eval "$("$root/scripts/pg-harness" start "$work/pg")"
url="postgresql://postgres@127.0.0.1:$PGPORT"
psql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }
cd "$root/migrations-example"

# timed OUT CMD...: runs CMD; OUT gets "seconds peak-KiB".
timed() {
	local out=$1
	shift
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/last.out" 2>"$work/last.err" || {
		echo "fleet.sh: '$*' failed:" >&2
		tail -n 20 "$work/last.out" "$work/last.err" >&2
		exit 1
	}
	tail -n 1 "$work/time" >"$out"
}

# ---- databases ----
: >"$work/targets.txt"
for i in $(seq 1 "$dbs"); do
	echo "CREATE DATABASE f$i;"
	echo "$url/f$i" >>"$work/targets.txt"
done | psql -d "$url/postgres"
head -n 10 "$work/targets.txt" >"$work/targets10.txt"
reset_dbs() {
	for i in $(seq 1 "$dbs"); do
		echo "\\c f$i"
		echo "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
	done | psql -d "$url/postgres" 2>/dev/null
}
timed "$work/db1" "$retort" -q upgrade --targets "$work/targets.txt" -j 1
reset_dbs
timed "$work/db4" "$retort" -q upgrade --targets "$work/targets.txt" -j 4
ok=$(psql -Atd "$url/f$dbs" -c "SELECT version_num FROM alembic_version")
reset_dbs
timed "$work/db10" "$retort" -q upgrade --targets "$work/targets10.txt" -j 4

# ---- schemas ----
psql -d "$url/postgres" -c "CREATE DATABASE tenants"
make_schemas() {
	for i in $(seq 1 "$schemas"); do echo "CREATE SCHEMA t$i;"; done | psql -d "$url/tenants"
}
drop_schemas() {
	for i in $(seq 1 "$schemas"); do echo "DROP SCHEMA t$i CASCADE;"; done |
		psql -d "$url/tenants" 2>/dev/null
}
list="SELECT nspname FROM pg_namespace WHERE nspname ~ '^t[0-9]+\$' ORDER BY 1"
make_schemas
timed "$work/s1" "$retort" -q -d "$url/tenants" upgrade --schemas "$list" -j 1
drop_schemas
make_schemas
timed "$work/s4" "$retort" -q -d "$url/tenants" upgrade --schemas "$list" -j 4
tables=$(psql -Atd "$url/tenants" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'")

timed "$work/psql" "$pgbin/psql" -X -Atc "SELECT 1" -d "$url/postgres"

read -r db1 db1_rss <"$work/db1"
read -r db4 db4_rss <"$work/db4"
read -r _ db10_rss <"$work/db10"
read -r s1 s1_rss <"$work/s1"
read -r s4 s4_rss <"$work/s4"
read -r _ psql_rss <"$work/psql"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| run | -j 1 | -j 4 | ratio | peak RSS -j 4 |"
echo "| --- | --- | --- | --- | --- |"
echo "| $dbs databases (last at $ok) | $db1 s | $db4 s | $(ratio "$db4" "$db1") | $db4_rss KiB |"
echo "| $schemas schemas ($tables version tables) | $s1 s | $s4 s | $(ratio "$s4" "$s1") | $s4_rss KiB |"
echo
echo "peak RSS: 10 databases $db10_rss KiB, $dbs databases $db4_rss KiB (-j 1: $db1_rss KiB), $schemas schemas $s4_rss KiB (-j 1: $s1_rss KiB); psql -c 'SELECT 1' $psql_rss KiB"
echo "cores: $(nproc)"
