#!/usr/bin/env bash
# Runs compare-alembic.sh over every Alembic lab project, the seed fixtures and
# migrations-example. Projects whose graph Alembic cannot load (or loads only
# with a duplicate/missing-revision warning) are not compared: there retort's
# `check` must exit 3 (scripts invalid).
set -euo pipefail

usage() {
	cat >&2 <<'EOF'
usage: run-lab.sh [-v] [--alembic-only] [RETORT [PROJECT...]]

  RETORT          the retort binary (default: $RETORT)
  PROJECT...      only these project folders (default: all, see below)
  --alembic-only  run only the Alembic side (what compare-alembic.sh --alembic-only does)
  -v              print every comparison line, not only failures

Lab projects: every directory in $ALEMBIC_LAB_PROJECTS, by default
/work/shared/reference/alembic-lab/projects, or the repository's copies in
tests/fixtures/lab when that does not exist. Exits 1 if any project fails.
EOF
	exit 2
}

verbose=0
alembic_only=0
only=()
retort=${RETORT:-}
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	--alembic-only) alembic_only=1 ;;
	-h | --help) usage ;;
	-*) echo "run-lab.sh: unknown option '$1'" >&2; usage ;;
	*) if [ -z "$retort" ]; then retort=$1; else only+=("$1"); fi ;;
	esac
	shift
done
if [ $alembic_only -eq 0 ]; then
	if [ -z "$retort" ]; then
		echo "run-lab.sh: no retort binary; pass it, set \$RETORT, or use --alembic-only" >&2
		exit 2
	fi
	[ -x "$retort" ] || { echo "run-lab.sh: '$retort' is not executable" >&2; exit 2; }
	retort=$(cd "$(dirname "$retort")" && pwd -P)/$(basename "$retort")
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
lab=${ALEMBIC_LAB_PROJECTS:-/work/shared/reference/alembic-lab/projects}
[ -d "$lab" ] || lab=$root/tests/fixtures/lab
python=${PYTHON:-/usr/bin/python3}
export PYTHONDONTWRITEBYTECODE=1 NO_COLOR=1
unset DATABASE_URL RETORT_DATABASE_URL DATABASE_URL_FILE RETORT_DATABASE_URL_FILE

projects=()
if [ ${#only[@]} -gt 0 ]; then
	for p in "${only[@]}"; do
		projects+=("$(cd "$p" && pwd -P)")
	done
else
	for p in "$lab"/*/; do
		projects+=("${p%/}")
	done
	projects+=("$root/tests/fixtures/seed000" "$root/tests/fixtures/seed001"
		"$root/tests/fixtures/seed003" "$root/tests/fixtures/seed004" "$root/migrations-example")
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run-lab.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

ok=0
bad=0
for p in "${projects[@]}"; do
	name=${p#"$lab/"}
	name=${name#"$root/"}
	# Alembic's verdict on the graph: load it, and treat the warnings it gives
	# before tolerating a duplicate or a dangling id as "broken" too.
	broken=
	if ! (cd "$p" && "$python" "$here/alembic_shim.py" info alembic.ini) \
		>"$tmp/info" 2>"$tmp/info.err"; then
		broken=$(grep -v '^\s*$' "$tmp/info.err" | tail -n 1)
	elif grep -q 'is present more than once\|is not present' "$tmp/info.err"; then
		broken=$(grep -o 'Revision .*' "$tmp/info.err" | head -n 1)
	fi

	if [ -n "$broken" ]; then
		if [ $alembic_only -eq 1 ]; then
			echo "skip $name: alembic cannot use it ($broken); retort check must exit 3"
			continue
		fi
		rc=0
		(cd "$p" && "$retort" -c alembic.ini check) >"$tmp/r.out" 2>"$tmp/r.err" || rc=$?
		if [ "$rc" = 3 ]; then
			ok=$((ok + 1))
			echo "ok   $name: broken graph, retort check exits 3"
		else
			bad=$((bad + 1))
			echo "FAIL $name: broken graph ($broken), retort check exits $rc, expected 3"
			head -n 10 "$tmp/r.err" | sed 's/^/    /'
		fi
		continue
	fi

	flags=()
	[ $alembic_only -eq 0 ] || flags+=(--alembic-only)
	rc=0
	"$here/compare-alembic.sh" "${flags[@]}" "$p" ${retort:+"$retort"} >"$tmp/log" 2>&1 || rc=$?
	if [ $verbose -eq 1 ]; then
		sed 's/^/    /' "$tmp/log"
	else
		# failures and their details (indented lines right after a FAIL line)
		awk '/^FAIL/ { show = 1; print "    " $0; next }
		     /^    / { if (show) print "    " $0; next }
		     { show = 0 }' "$tmp/log"
	fi
	summary=$(tail -n 1 "$tmp/log")
	if [ "$rc" = 0 ]; then
		ok=$((ok + 1))
		echo "$([ $alembic_only -eq 1 ] && echo skip || echo 'ok  ') $name: $summary"
	else
		bad=$((bad + 1))
		echo "FAIL $name: $summary"
	fi
done

if [ $alembic_only -eq 1 ]; then
	echo "alembic side run on $ok projects; retort not run"
	exit 0
fi
echo "$ok projects passed, $bad failed"
[ "$bad" -eq 0 ]
