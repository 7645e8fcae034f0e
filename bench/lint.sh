#!/usr/bin/env bash
# lint.sh [N]: `retort lint` on N (default 1000) revisions beside squawk on the same SQL.
# The project has one base revision creating four tables, then N-1 revisions of op.* calls
# that each hold a hazard or two (add_column, create_index, alter_column, create_foreign_key,
# drop_column, op.execute UPDATE) cycling over the tables. Prints the median and minimum wall
# and CPU time (/usr/bin/time) of 7 runs of `retort lint` (the whole command: loading every
# version file, the graph, translating each body, parsing each statement with libpg_query,
# the rules), of `retort history` (the loading alone), and of squawk on `retort upgrade
# --sql`'s script of the same steps. On a shared machine read the CPU time: wall time there
# measures the neighbours. RETORT=path (default build/src/cli/retort), SQUAWK=path (default:
# squawk on the PATH, else skipped).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
retort=${RETORT:-$root/build/src/cli/retort}
[ -x "$retort" ] || { echo "lint.sh: no retort binary at '$retort' (set RETORT=)" >&2; exit 1; }
n=${1:-1000}
case $n in '' | *[!0-9]* | 0 | 1) echo "usage: lint.sh [N>1]" >&2; exit 2 ;; esac
squawk=${SQUAWK:-$(command -v squawk || true)}

work=$(mktemp -d /tmp/retort-lint-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/versions"
cat >"$work/alembic.ini" <<'INI'
[alembic]
script_location = %(here)s
sqlalchemy.url = postgresql://localhost/bench
INI

rev() { printf 'r%04d' "$1"; }
header() { # i
	local down=None
	[ "$1" -gt 1 ] && down="'$(rev $(($1 - 1)))'"
	printf '"""step %d\n\nRevision ID: %s\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\n' \
		"$1" "$(rev "$1")"
	printf "revision = '%s'\ndown_revision = %s\nbranch_labels = None\ndepends_on = None\n\n\n" \
		"$(rev "$1")" "$down"
}
{
	header 1
	echo 'def upgrade() -> None:'
	for t in a b c d; do
		echo "    op.create_table('t_$t', sa.Column('id', sa.BigInteger(), primary_key=True),"
		echo "                    sa.Column('owner_id', sa.BigInteger()), sa.Column('v0', sa.Text()))"
	done
	printf '\n\ndef downgrade() -> None:\n    pass\n'
} >"$work/versions/$(rev 1)_base.py"
tables=(a b c d)
for ((i = 2; i <= n; i++)); do
	t=t_${tables[i % 4]}
	{
		header "$i"
		echo 'def upgrade() -> None:'
		echo "    op.add_column('$t', sa.Column('v$i', sa.Integer(), nullable=False))"
		case $((i % 5)) in
		0) echo "    op.create_index('ix_${t}_v$i', '$t', ['v$i'])" ;;
		1) echo "    op.alter_column('$t', 'v$i', type_=sa.BigInteger())" ;;
		2) echo "    op.create_foreign_key('fk_${t}_$i', '$t', 't_a', ['owner_id'], ['id'])" ;;
		3) echo "    op.drop_column('$t', 'v$i')" ;;
		4) echo "    op.execute(\"UPDATE $t SET v$i = 0\")" ;;
		esac
		printf '\n\ndef downgrade() -> None:\n    pass\n'
	} >"$work/versions/$(rev "$i")_step.py"
done

# times CMD...: median and minimum of 7 runs, in ms, of the wall time and of the CPU time
# (user + system: what the command costs, whatever else the machine is doing)
times() {
	local wall=() cpu=()
	for _ in 1 2 3 4 5 6 7; do
		/usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1 || true
		read -r e u s < <(tail -n 1 "$work/time") # after any "Command exited with ..." line
		wall+=("$(awk -v e="$e" 'BEGIN {printf "%d", e * 1000}')")
		cpu+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1000}')")
	done
	local w c
	w=$(printf '%s\n' "${wall[@]}" | sort -n | awk '{v[NR]=$1} END {printf "%d ms (min %d)", v[4], v[1]}')
	c=$(printf '%s\n' "${cpu[@]}" | sort -n | awk '{v[NR]=$1} END {printf "%d ms (min %d)", v[4], v[1]}')
	echo "wall $w, cpu $c"
}

cd "$work"
"$retort" lint --format json >"$work/findings.json" 2>/dev/null || true
summary=$(grep '"lint_summary"' "$work/findings.json")
echo "project: $n revisions; $summary"
echo "retort lint:   $(times "$retort" lint)"
echo "  of which loading the project (retort history): $(times "$retort" history)"
"$retort" upgrade --sql heads >"$work/script.sql"
echo "script: $(grep -c ';$' "$work/script.sql") statements (retort upgrade --sql)"
if [ -n "$squawk" ]; then
	echo "squawk:        $(times "$squawk" "$work/script.sql")  ($("$squawk" --version))"
else
	echo "squawk:        skipped (not installed; npm install -g squawk-cli, or SQUAWK=path)"
fi
