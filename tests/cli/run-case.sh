#!/usr/bin/env bash
# Runs one golden CLI case: tests/cli/cases/NAME.t holds the command and the
# expected exit status, stdout and stderr:
#
#   # what the case shows
#   cd: tests/fixtures/seed000        (relative to the repository; optional)
#   run: retort check                 ("retort" is replaced by the binary)
#   --- exit
#   3
#   --- stdout
#   ...
#   --- stderr
#   ...
#
# With UPDATE_GOLDEN=1 the file is rewritten with what the binary printed;
# review the diff before committing it.
set -euo pipefail
retort=$(realpath "$1")
case_file=$(realpath "$2")
top=$(cd "$(dirname "$0")/../.." && pwd)

dir=$(sed -n 's/^cd: //p' "$case_file" | head -n1)
cmd=$(sed -n 's/^run: //p' "$case_file" | head -n1)
[ -n "$cmd" ] || { echo "$case_file: no 'run:' line" >&2; exit 2; }

section() { # prints the body of section $1
	awk -v want="--- $1" '
		/^--- / { on = ($0 == want); next }
		on { print }' "$case_file"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
set +e
(
	cd "$top/${dir:-.}"
	export NO_COLOR=1 RETORT="$retort"
	unset RETORT_DATABASE_URL DATABASE_URL RETORT_DATABASE_URL_FILE DATABASE_URL_FILE
	eval "${cmd/#retort/\"\$RETORT\"}"
) >"$tmp/stdout" 2>"$tmp/stderr"
status=$?
set -e

if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
	{
		sed -n '/^--- /q;p' "$case_file"
		echo "--- exit"; echo "$status"
		echo "--- stdout"; cat "$tmp/stdout"
		echo "--- stderr"; cat "$tmp/stderr"
	} >"$tmp/new"
	cp "$tmp/new" "$case_file"
	echo "updated $case_file"
	exit 0
fi

fail=0
expected_status=$(section exit | head -n1)
if [ "$status" != "$expected_status" ]; then
	echo "exit status: expected $expected_status, got $status"
	fail=1
fi
for s in stdout stderr; do
	section "$s" >"$tmp/expected-$s"
	if ! diff -u --label "expected $s" --label "actual $s" "$tmp/expected-$s" "$tmp/$s"; then
		fail=1
	fi
done
exit $fail
