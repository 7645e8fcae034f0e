#!/usr/bin/env bash
# Compares retort with real Alembic (Debian python3-alembic 1.8.1) on one Alembic
# project, offline only (no database): heads, branches, history, show, and the
# plans of `upgrade/downgrade --sql` (the `-- Running` comments and version-table
# statements). Alembic failures must be retort refusals (non-zero exit).
set -euo pipefail

usage() {
	cat >&2 <<'EOF'
usage: compare-alembic.sh [-v] [--alembic-only] PROJECT [RETORT]

  PROJECT         an Alembic project: a directory holding alembic.ini, or the .ini file
  RETORT          the retort binary (default: $RETORT)
  --alembic-only  run only the Alembic side and list what would be compared
  -v              print the compared text (alembic-only) or full outputs on failure

retort is run as `retort -c INI ARGS` in the project directory, with the same ARGS as
Alembic. Prints one ok/FAIL line per comparison and `N passed, N failed`; exits 1 on
any failure, 2 on a usage error. A project Alembic loads only with a warning (a
duplicate revision) is compared as is; run-lab.sh treats those as broken instead. Alembic runs through alembic_shim.py, which loads
version files in sorted order (Alembic >= 1.10's rule) and sorts set-ordered
output (branch labels, children of a branch point); `Path:` lines are made
relative to the project directory.
EOF
	exit 2
}

verbose=0
alembic_only=0
args=()
while [ $# -gt 0 ]; do
	case $1 in
	-v) verbose=1 ;;
	--alembic-only) alembic_only=1 ;;
	-h | --help) usage ;;
	-*) echo "compare-alembic.sh: unknown option '$1'" >&2; usage ;;
	*) args+=("$1") ;;
	esac
	shift
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
	usage
fi

project=${args[0]}
if [ ! -e "$project" ]; then
	echo "compare-alembic.sh: no such project '$project'" >&2
	exit 2
elif [ -d "$project" ]; then
	ini=alembic.ini
	projdir=$(cd "$project" && pwd -P)
else
	ini=$(basename "$project")
	projdir=$(cd "$(dirname "$project")" && pwd -P)
fi
if [ ! -f "$projdir/$ini" ]; then
	echo "compare-alembic.sh: no '$ini' in '$projdir'" >&2
	exit 2
fi

retort=${args[1]:-${RETORT:-}}
if [ $alembic_only -eq 0 ]; then
	if [ -z "$retort" ]; then
		echo "compare-alembic.sh: no retort binary; pass it, set \$RETORT, or use --alembic-only" >&2
		exit 2
	fi
	if [ ! -x "$retort" ]; then
		echo "compare-alembic.sh: '$retort' is not executable" >&2
		exit 2
	fi
	retort=$(cd "$(dirname "$retort")" && pwd -P)/$(basename "$retort")
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
python=${PYTHON:-/usr/bin/python3}
shim=$here/alembic_shim.py
tmp=$(mktemp -d "${TMPDIR:-/tmp}/compare-alembic.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Offline runs only: no URL from the caller's environment may reach either tool.
export PYTHONDONTWRITEBYTECODE=1 NO_COLOR=1
unset DATABASE_URL RETORT_DATABASE_URL DATABASE_URL_FILE RETORT_DATABASE_URL_FILE

passed=0
failed=0
skipped=0

# expected_refusal: prints the reason when retort's error names a file that
# expected-refusals lists for this project (a deliberate, located refusal).
expected_refusal() {
	local proj file reason
	while IFS=$'\t' read -r proj file reason; do
		case $proj in '#'* | '') continue ;; esac
		file=${file#"${file%%[![:space:]]*}"}
		[[ $projdir == */"$proj" ]] || continue
		if grep -q "^$file:[0-9]*:[0-9]*: error: " "$tmp/r.err" 2>/dev/null; then
			echo "$reason"
			return 0
		fi
	done < <(tr -s '\t' '\t' <"$here/expected-refusals")
	return 1
}

# expected_difference NAME: prints the reason when expected-differences lists
# this comparison for this project.
expected_difference() {
	local proj cmd reason
	while IFS=$'\t' read -r proj cmd reason; do
		case $proj in '#'* | '') continue ;; esac
		[[ $projdir == */"$proj" && $cmd == "$1" ]] || continue
		echo "$reason"
		return 0
	done <"$here/expected-differences"
	return 1
}

# result N: point $tmp/a.* and $tmp/r.* at comparison N's outputs
result() {
	local x
	for x in out err rc cmp; do
		ln -sf "$tmp/alembic/$1.$x" "$tmp/a.$x"
		ln -sf "$tmp/retort/$1.$x" "$tmp/r.$x"
	done
}

# Alembic reports a failure by exit status, a FAILED: line or a traceback; any of
# the three counts as a refusal.
alembic_failed() {
	[ "$(cat "$tmp/a.rc")" != 0 ] ||
		grep -q '^FAILED:' "$tmp/a.out" "$tmp/a.err" ||
		grep -q '^Traceback' "$tmp/a.err"
}

# the one line that says why Alembic failed
alembic_reason() {
	local line
	line=$(grep -h '^FAILED:' "$tmp/a.out" "$tmp/a.err" | tail -n 1 || true)
	[ -n "$line" ] || line=$(grep -v '^\s*$' "$tmp/a.err" | tail -n 1 || true)
	echo "${line:-exit $(cat "$tmp/a.rc")}"
}

indent() { sed 's/^/    /'; }

side_by_side() {
	echo "    alembic (exit $(cat "$tmp/a.rc")): $(alembic_reason)"
	echo "    retort  (exit $(cat "$tmp/r.rc")):"
	{ cat "$tmp/r.err"; head -n 5 "$tmp/r.out"; } | head -n 10 | indent
}

kinds=()
cmds=()
# compare text|plan ARGS...: queue one comparison (run after the list is complete)
compare() {
	local kind=$1 IFS=$'\t'
	shift
	kinds+=("$kind")
	cmds+=("$*")
}

# check N: print comparison N's result line (all outputs already extracted)
check() {
	local name=${cmds[$1]//$'\t'/ }
	result $(($1 + 1))
	if [ $alembic_only -eq 1 ]; then
		skipped=$((skipped + 1))
		if alembic_failed; then
			echo "skip $name  [alembic refuses: $(alembic_reason)]"
		else
			echo "skip $name  [alembic: $(wc -l <"$tmp/a.cmp") lines to compare]"
			[ $verbose -eq 0 ] || indent <"$tmp/a.cmp"
		fi
		return 0
	fi
	local rrc
	rrc=$(cat "$tmp/r.rc")
	if alembic_failed; then
		# Alembic 1.8.1 has internal bugs that end in a bare AssertionError (e.g.
		# `history -r` across depends_on, `upgrade head+1`, reference/alembic.md
		# 3.3): that is no reference to compare with.
		if grep -qx 'AssertionError' "$tmp/a.err" 2>/dev/null; then
			passed=$((passed + 1))
			echo "ok   $name  [alembic crashes: AssertionError; not compared]"
			return 0
		fi
		if [ "$rrc" != 0 ]; then
			passed=$((passed + 1))
			echo "ok   $name  [both refuse]"
		else
			failed=$((failed + 1))
			echo "FAIL $name: alembic refuses, retort succeeds"
			side_by_side
		fi
		return 0
	fi
	if [ "$rrc" != 0 ]; then
		local why
		if [ "$rrc" = 3 ] && why=$(expected_refusal); then
			passed=$((passed + 1))
			echo "ok   $name  [retort refuses on purpose: $why]"
			return 0
		fi
		failed=$((failed + 1))
		echo "FAIL $name: retort refuses (exit $rrc), alembic succeeds"
		side_by_side
		return 0
	fi
	local why
	if ! cmp -s "$tmp/a.cmp" "$tmp/r.cmp" && why=$(expected_difference "$name"); then
		passed=$((passed + 1))
		echo "ok   $name  [differs on purpose: $why]"
		return 0
	fi
	if cmp -s "$tmp/a.cmp" "$tmp/r.cmp"; then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		echo "FAIL $name: output differs"
		diff -u --label alembic --label retort "$tmp/a.cmp" "$tmp/r.cmp" |
			head -n $((verbose ? 400 : 40)) | indent || true
	fi
}

# What the project holds, per Alembic. A project Alembic cannot load still gets
# the fixed comparisons below (each must then be a retort refusal).
revs=()
labels=()
heads=()
if (cd "$projdir" && "$python" "$shim" info "$ini") >"$tmp/info" 2>"$tmp/info.err"; then
	while read -r kind value; do
		case $kind in
		rev) revs+=("$value") ;;
		label) labels+=("$value") ;;
		head) heads+=("$value") ;;
		esac
	done <"$tmp/info"
else
	echo "note: alembic cannot load '$projdir': $(grep -v '^\s*$' "$tmp/info.err" | tail -n 1)"
fi
echo "project $projdir: ${#revs[@]} revisions, ${#heads[@]} heads, ${#labels[@]} branch labels"

compare text heads
compare text heads --resolve-dependencies
compare text branches
compare text history
compare text history --verbose

# a few ranges over the history (newest first): whole, from/to the middle, open ends
n=${#revs[@]}
if [ "$n" -ge 2 ]; then
	mid=${revs[$((n / 2))]}
	compare text history -r "${revs[$((n - 1))]}:${revs[0]}"
	compare text history -r "$mid:"
	compare text history -r ":$mid"
	compare text history -r "base:$mid"
	compare text history -r "$mid:heads"
fi
for r in "${revs[@]}"; do
	compare text show "$r"
done

compare plan upgrade head --sql
compare plan upgrade heads --sql
compare plan upgrade base --sql
compare plan upgrade +1 --sql
compare plan upgrade +2 --sql
for r in "${revs[@]}"; do
	compare plan upgrade "$r" --sql
done
for l in "${labels[@]}"; do
	compare plan upgrade "$l" --sql
	compare plan upgrade "$l@head" --sql
done
if [ "$n" -ge 2 ]; then
	compare plan upgrade "$mid:heads" --sql
fi
for h in "${heads[@]}"; do
	compare plan downgrade "$h:base" --sql
	compare plan downgrade "$h:-1" --sql
	for r in "${revs[@]}"; do
		[ "$r" = "$h" ] || compare plan downgrade "$h:$r" --sql
	done
done

# 1. Alembic: every command in one process; 2. retort: one run per command;
# 3. extract the comparable text of both sides at once; 4. judge.
mkdir "$tmp/alembic" "$tmp/retort"
printf '%s\n' "${kinds[@]}" | tee "$tmp/alembic/kinds" >"$tmp/retort/kinds"
printf '%s\n' "${cmds[@]}" |
	(cd "$projdir" && "$python" "$shim" batch "$tmp/alembic" "$ini")
if [ $alembic_only -eq 0 ]; then
	for i in "${!cmds[@]}"; do
		IFS=$'\t' read -r -a argv <<<"${cmds[$i]}"
		out=$tmp/retort/$((i + 1))
		rc=0
		(cd "$projdir" && "$retort" -c "$ini" "${argv[@]}") >"$out.out" 2>"$out.err" || rc=$?
		echo "$rc" >"$out.rc"
	done
fi
"$python" "$shim" extract "$projdir" "$tmp/alembic"
[ $alembic_only -eq 1 ] || "$python" "$shim" extract "$projdir" "$tmp/retort"
for i in "${!cmds[@]}"; do
	check "$i"
done

if [ $alembic_only -eq 1 ]; then
	echo "0 passed, 0 failed, $skipped not run (alembic only)"
	exit 0
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
