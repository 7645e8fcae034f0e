#!/usr/bin/env bash
# Applies each schema project (tests/fixtures/translate/schema_a, schema_b) with real
# Alembic to one database and with retort to another, in a throwaway PostgreSQL, and
# compares `pg_dump --schema-only --no-owner` of the two after `upgrade head` and again
# after `downgrade base`.
set -euo pipefail

usage() {
	cat >&2 <<'EOF'
usage: schema-equal.sh [--alembic-only] RETORT [PROJECT...]

  RETORT          the retort binary (ignored with --alembic-only; pass any word)
  PROJECT         schema_a, schema_b (default: both)
  --alembic-only  check only the Alembic side: upgrade head, downgrade base, upgrade
                  head again, each step applied without error

Prints `ok`/`FAIL` per project and phase and `N passed, N failed`; exits 1 on any
failure, 77 (skip) without PostgreSQL or Alembic unless CI=true.
EOF
	exit 2
}

# The retort side: `online` runs `retort upgrade head -d URL` (the default);
# `offline` applies its `--sql` script with psql instead, to check that path too.
RETORT_APPLY=${RETORT_APPLY:-online}

alembic_only=0
args=()
while [ $# -gt 0 ]; do
	case $1 in
	--alembic-only) alembic_only=1 ;;
	-h | --help) usage ;;
	-*) echo "schema-equal.sh: unknown option '$1'" >&2; usage ;;
	*) args+=("$1") ;;
	esac
	shift
done
[ ${#args[@]} -ge 1 ] || usage
retort=${args[0]}
projects=("${args[@]:1}")
[ ${#projects[@]} -gt 0 ] || projects=(schema_a schema_b)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
fixtures=$root/tests/fixtures/translate
harness=${RETORT_PG_HARNESS:-$root/scripts/pg-harness}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
python=${PYTHON:-/usr/bin/python3}

skip() {
	if [ "${CI:-}" = true ]; then
		echo "schema-equal.sh: $* (CI=true: failing)" >&2
		exit 1
	fi
	echo "schema-equal.sh: $*; skipping" >&2
	exit 77
}
[ -x "$pgbin/initdb" ] || skip "PostgreSQL not found in '$pgbin'"
"$python" -c 'import alembic, psycopg2' 2>/dev/null || skip "'$python' cannot import alembic and psycopg2"
if [ $alembic_only -eq 0 ]; then
	[ -x "$retort" ] || { echo "schema-equal.sh: '$retort' is not executable" >&2; exit 2; }
	retort=$(cd "$(dirname "$retort")" && pwd -P)/$(basename "$retort")
fi

top=$(mktemp -d /tmp/retort-schemaeq.XXXXXX)
chmod 711 "$top" # the server runs as postgres when we are root
cluster=$top/cluster
trap '"$harness" stop "$cluster" >/dev/null 2>&1 || true; rm -rf -- "$top"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
env=$("$harness" start "$cluster") || { echo "schema-equal.sh: the server did not start" >&2; exit 1; }
eval "$env"
export PYTHONDONTWRITEBYTECODE=1 NO_COLOR=1
unset DATABASE_URL RETORT_DATABASE_URL DATABASE_URL_FILE RETORT_DATABASE_URL_FILE

psql() { "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U postgres "$@"; }

# dump DB FILE: the schema, without retort's history table, owner-free, and without
# the random \restrict keys that newer pg_dump releases write.
dump() {
	"$pgbin/pg_dump" -h "$PGHOST" -p "$PGPORT" -U postgres --schema-only --no-owner \
		--exclude-table='*.retort_history' --exclude-table='*.retort_history_id_seq' "$1" | grep -v '^\\\(un\)\?restrict ' >"$2"
}

# alembic PROJECT DB ARGS...: real Alembic online, through a copy of the project's
# alembic.ini whose URL names DB (the stock env.py reads only sqlalchemy.url).
alembic() {
	local proj=$1 db=$2 ini=$top/$1-$2.ini
	shift 2
	sed -e "s|^script_location = .*|script_location = $fixtures/$proj|" \
		-e "s|^sqlalchemy.url = .*|sqlalchemy.url = postgresql://postgres@127.0.0.1:$PGPORT/$db|" \
		"$fixtures/$proj/alembic.ini" >"$ini"
	(cd "$fixtures/$proj" && "$python" -m alembic -c "$ini" "$@")
}

# retort_apply PROJECT DB upgrade|downgrade: the same change made by retort.
retort_apply() {
	local proj=$1 db=$2 url="postgresql://postgres@127.0.0.1:$PGPORT/$2"
	local ini=$fixtures/$proj/alembic.ini
	if [ "$RETORT_APPLY" = online ]; then
		if [ "$3" = upgrade ]; then
			"$retort" -c "$ini" -d "$url" upgrade head
		else
			"$retort" -c "$ini" -d "$url" downgrade base
		fi
	else
		local range=head
		[ "$3" = upgrade ] || range=head:base
		"$retort" -c "$ini" "$3" "$range" --sql >"$top/$proj.$3.sql" &&
			psql -d "$db" -f "$top/$proj.$3.sql"
	fi
}

passed=0
failed=0
result() { # OK? LABEL [DETAIL_FILE]
	if [ "$1" = 0 ]; then
		echo "ok $2"
		passed=$((passed + 1))
	else
		echo "FAIL $2"
		[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/    /' "$3"
		failed=$((failed + 1))
	fi
}

for p in "${projects[@]}"; do
	[ -f "$fixtures/$p/alembic.ini" ] || { echo "schema-equal.sh: no project '$p'" >&2; exit 2; }
	a=${p}_alembic
	r=${p}_retort
	psql -d postgres -c "CREATE DATABASE $a" -c "CREATE DATABASE $r"
	log=$top/$p.log

	rc=0; alembic "$p" "$a" upgrade head >"$log" 2>&1 || rc=$?
	result $rc "$p: alembic upgrade head" "$log"
	if [ $alembic_only -eq 1 ]; then
		rc=0; alembic "$p" "$a" downgrade base >"$log" 2>&1 || rc=$?
		result $rc "$p: alembic downgrade base" "$log"
		rc=0; alembic "$p" "$a" upgrade head >"$log" 2>&1 || rc=$?
		result $rc "$p: alembic upgrade head again" "$log"
		continue
	fi
	rc=0; retort_apply "$p" "$r" upgrade >"$log" 2>&1 || rc=$?
	result $rc "$p: retort upgrade head ($RETORT_APPLY)" "$log"
	dump "$a" "$top/$a.head.sql"
	dump "$r" "$top/$r.head.sql"
	rc=0; diff -u "$top/$a.head.sql" "$top/$r.head.sql" >"$log" || rc=$?
	result $rc "$p: same schema at head" "$log"

	rc=0; alembic "$p" "$a" downgrade base >"$log" 2>&1 || rc=$?
	result $rc "$p: alembic downgrade base" "$log"
	rc=0; retort_apply "$p" "$r" downgrade >"$log" 2>&1 || rc=$?
	result $rc "$p: retort downgrade base ($RETORT_APPLY)" "$log"
	dump "$a" "$top/$a.base.sql"
	dump "$r" "$top/$r.base.sql"
	rc=0; diff -u "$top/$a.base.sql" "$top/$r.base.sql" >"$log" || rc=$?
	result $rc "$p: same schema at base" "$log"
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
