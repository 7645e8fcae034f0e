#!/usr/bin/env bash
# Tests compare-alembic.sh itself, without retort: a stand-in "retort" that is
# Alembic must pass every comparison (no false alarms from set ordering, paths or
# process-to-process differences), and a deliberately wrong one must fail them.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
root=$(cd "$here/../.." && pwd -P)
python=${PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
project=$root/migrations-example
failures=0

cat >"$tmp/alembic-as-retort" <<EOF
#!/usr/bin/env bash
exec "$python" "$here/alembic_shim.py" run "\$@"
EOF
# never refuses, skips the second step of every plan, prints other paths
cat >"$tmp/wrong-retort" <<EOF
#!/usr/bin/env bash
"$python" "$here/alembic_shim.py" run "\$@" 2>/dev/null |
	awk '/^-- Running/ { if (++n == 2) next } { print }' | sed 's/^Path: .*/Path: x/'
exit 0
EOF
chmod +x "$tmp/alembic-as-retort" "$tmp/wrong-retort"

expect() {
	if [ "$1" = "$2" ]; then
		echo "ok   $3"
	else
		echo "FAIL $3: got '$1', expected '$2'"
		failures=$((failures + 1))
	fi
}

rc=0
"$here/compare-alembic.sh" "$project" "$tmp/alembic-as-retort" >"$tmp/same.log" || rc=$?
expect "$rc" 0 "alembic as retort: exit status"
expect "$(grep -c '^FAIL' "$tmp/same.log" || true)" 0 "alembic as retort: no FAIL lines"
expect "$(tail -n 1 "$tmp/same.log")" "66 passed, 0 failed" "alembic as retort: summary"

rc=0
"$here/compare-alembic.sh" "$project" "$tmp/wrong-retort" >"$tmp/wrong.log" || rc=$?
expect "$rc" 1 "wrong retort: exit status"
# every `show`, every plan with two or more steps, the refusals, history --verbose
expect "$(grep -c '^FAIL show ' "$tmp/wrong.log" || true)" 15 "wrong retort: show paths differ"
expect "$(grep -c '^FAIL upgrade head --sql: output differs' "$tmp/wrong.log" || true)" 1 \
	"wrong retort: missing step found"
expect "$(grep -c '^FAIL history --verbose' "$tmp/wrong.log" || true)" 1 \
	"wrong retort: history --verbose paths differ"

# refusals: seed000 has two heads, so `upgrade head` and downgrades across branches fail
seed=$root/tests/fixtures/seed000
"$here/compare-alembic.sh" --alembic-only "$seed" >"$tmp/seed-alembic.log"
refusals=$(grep -c '\[alembic refuses' "$tmp/seed-alembic.log" || true)
expect "$([ "$refusals" -ge 5 ] && echo yes || echo "no ($refusals)")" yes \
	"seed000: alembic refuses several comparisons"
rc=0
"$here/compare-alembic.sh" "$seed" "$tmp/wrong-retort" >"$tmp/seed-wrong.log" || rc=$?
expect "$(grep -c 'alembic refuses, retort succeeds' "$tmp/seed-wrong.log" || true)" "$refusals" \
	"wrong retort: every refusal it misses is reported"
expect "$(grep -c '^FAIL upgrade head --sql: alembic refuses' "$tmp/seed-wrong.log" || true)" 1 \
	"wrong retort: 'upgrade head' with two heads must be refused"

[ "$failures" -eq 0 ] && echo "selftest passed" || echo "selftest: $failures failed"
[ "$failures" -eq 0 ]
