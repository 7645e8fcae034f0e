#!/usr/bin/env bash
# Renders, with real Alembic, the offline SQL of every single step of every
# fixture project under tests/fixtures/translate/ and stores each step's body as
# tests/translate/expected/<project>/<rev>.up.sql / .down.sql (through overrides/).
# --check-expected re-renders into a temporary directory and diffs against the
# stored files instead, so they cannot go stale.
set -euo pipefail

usage() {
	cat >&2 <<'EOF'
usage: render-alembic.sh [--check-expected] [PROJECT...]

  PROJECT           a directory name under tests/fixtures/translate/ (default: every
                    project there with an alembic.ini, except refusals/)
  --check-expected  render into a temporary directory and diff against expected/;
                    exit 1 on any difference

Each step is `python3 -m alembic -c alembic.ini upgrade PREV:REV --sql` (and
`downgrade REV:PREV --sql`), run through Alembic's CLI entry point by alembic_steps.py,
one Python process per project; the body is the text between the `-- Running` line and
the version-row statement. A step with a file in overrides/<project>/ stores that
file's `-- expected:` section instead, after checking that Alembic still renders its
`-- alembic-1.8.1:` section.
EOF
	exit 2
}

check=0
projects=()
while [ $# -gt 0 ]; do
	case $1 in
	--check-expected) check=1 ;;
	-h | --help) usage ;;
	-*) echo "render-alembic.sh: unknown option '$1'" >&2; usage ;;
	*) projects+=("$1") ;;
	esac
	shift
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
fixtures=$(cd "$here/../fixtures/translate" && pwd -P)
python=${PYTHON:-/usr/bin/python3}
# Projects that are not rendered: retort must refuse them (compare.sh checks that).
SKIP=" refusals "

if [ ${#projects[@]} -eq 0 ]; then
	for d in "$fixtures"/*/; do
		p=$(basename "$d")
		[ -f "$d/alembic.ini" ] && [[ $SKIP != *" $p "* ]] && projects+=("$p")
	done
fi

if ! "$python" -c 'import alembic' 2>/dev/null; then
	echo "render-alembic.sh: '$python' cannot import alembic (Debian: python3-alembic)" >&2
	# meson's skip for the freshness check on a machine without Alembic; never in CI
	[ $check -eq 1 ] && [ "${CI:-}" != true ] && exit 77
	exit 1
fi

# exttypes/ renders the extension libraries' types with the libraries themselves
# (scripts/install-deps); without them the freshness check leaves it out, never in CI.
if [[ " ${projects[*]} " == *" exttypes "* ]] &&
	! "$python" -c 'import sqlalchemy_utils, sqlmodel, phonenumbers, passlib, colour, intervals' 2>/dev/null; then
	echo "render-alembic.sh: exttypes needs python3-sqlalchemy-utils, python3-sqlmodel," \
		"python3-phonenumbers, python3-passlib, python3-colour, python3-intervals" >&2
	{ [ $check -eq 0 ] || [ "${CI:-}" = true ]; } && exit 1
	echo "render-alembic.sh: skipping exttypes" >&2
	kept=()
	for p in "${projects[@]}"; do [ "$p" = exttypes ] || kept+=("$p"); done
	projects=("${kept[@]}")
	[ ${#projects[@]} -eq 0 ] && exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/render-alembic.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Offline only: nothing from the caller's environment may point Alembic at a database.
export PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL RETORT_DATABASE_URL

mkdir "$tmp/jobs"
for p in "${projects[@]}"; do
	dir=$fixtures/$p
	[ -f "$dir/alembic.ini" ] || { echo "render-alembic.sh: no project '$p' in $fixtures" >&2; exit 2; }
	mkdir -p "$tmp/raw/$p"
	jobs=$tmp/jobs/$p
	: >"$jobs"
	# Alembic's own history gives the chain: "PREV -> REV (head), message", newest first.
	hist=$(cd "$dir" && "$python" -m alembic -c alembic.ini history 2>"$tmp/history.err") || {
		cat "$tmp/history.err" >&2
		exit 1
	}
	n=0
	while IFS= read -r line; do
		[[ $line =~ ^([^[:space:]]+)\ -\>\ ([^[:space:],]+) ]] || continue
		prev=${BASH_REMATCH[1]}
		rev=${BASH_REMATCH[2]}
		if [ "$prev" = "<base>" ]; then
			printf '%s\t%s\t%s\t%s\n' "$dir" "$tmp/raw/$p/$rev.up" upgrade "$rev" >>"$jobs"
			printf '%s\t%s\t%s\t%s\n' "$dir" "$tmp/raw/$p/$rev.down" downgrade "$rev:base" >>"$jobs"
		else
			printf '%s\t%s\t%s\t%s\n' "$dir" "$tmp/raw/$p/$rev.up" upgrade "$prev:$rev" >>"$jobs"
			printf '%s\t%s\t%s\t%s\n' "$dir" "$tmp/raw/$p/$rev.down" downgrade "$rev:$prev" >>"$jobs"
		fi
		n=$((n + 1))
	done <<<"$hist"
	[ $n -gt 0 ] || { echo "render-alembic.sh: no revisions in '$p'" >&2; exit 1; }
	echo "$p: $n revisions" >&2
done

# One Python process per project (alembic_steps.py), projects in parallel.
export python here
# shellcheck disable=SC2016 # $python, $here and $1 belong to the inner sh
find "$tmp/jobs" -type f -print0 |
	xargs -0 -n 1 -P "$(nproc)" sh -c '"$python" "$here/alembic_steps.py" <"$1"' _

if [ $check -eq 0 ]; then
	out=$here/expected
else
	out=$tmp/expected
fi
for p in "${projects[@]}"; do
	rm -rf "${out:?}/$p"
done
"$python" "$here/sqlbody.py" collect "$tmp/raw" "$out" "$here/overrides" || {
	echo "render-alembic.sh: some steps could not be rendered (see above)" >&2
	exit 1
}

if [ $check -eq 1 ]; then
	status=0
	for p in "${projects[@]}"; do
		if diff -ru "$here/expected/$p" "$out/$p" >"$tmp/diff" 2>&1; then
			echo "ok $p"
		else
			echo "FAIL $p: expected/ differs from what Alembic renders now"
			sed 's/^/    /' "$tmp/diff"
			status=1
		fi
	done
	[ $status -eq 0 ] || echo "refresh with tests/translate/render-alembic.sh and review the diff" >&2
	exit $status
fi
echo "wrote ${#projects[@]} project(s) under $out" >&2
