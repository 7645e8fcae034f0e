#!/usr/bin/env bash
# run.sh [RUNS]: retort against Alembic and a psql floor on synthetic projects (N = 10, 100,
# 1000; op.execute and op.create_table bodies). Measures no-op upgrade, apply-all from empty,
# check/history without a database and peak RSS; prints medians, min/max and ratios. No-op
# and apply are also measured from a signed deploy bundle of the same project (retort-bundle).
# RETORT=path picks the binary (default build/src/cli/retort); ALEMBIC_RUNS_1000 caps Alembic.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
runs=${1:-5}
case $runs in '' | *[!0-9]*) echo "usage: run.sh [RUNS>=5]" >&2; exit 2 ;; esac
[ "$runs" -ge 5 ] || { echo "run.sh: RUNS must be at least 5" >&2; exit 2; }
retort=${RETORT:-$root/build/src/cli/retort}
case $retort in /*) ;; *) retort=$root/$retort ;; esac
[ -x "$retort" ] || { echo "run.sh: no retort binary at '$retort' (set RETORT=)" >&2; exit 1; }
# Alembic applying 1000 migrations takes seconds a run; fewer runs keep the total in budget.
alembic_runs_1000=${ALEMBIC_RUNS_1000:-$runs}
sizes=${BENCH_SIZES:-10 100 1000}
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
psql=$pgbin/psql
python=/usr/bin/python3

# The cluster runs as postgres when we are root: its directory must be enterable.
work=$(mktemp -d /tmp/retort-bench.XXXXXX)
chmod 755 "$work"
cleanup() {
	"$root/scripts/pg-harness" stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

eval "$("$root/scripts/pg-harness" start "$work/pg")"
# Everyone talks over the same Unix socket, so transport cost is equal for the three.
export DATABASE_URL="postgresql://postgres@/postgres?host=$PGHOST&port=$PGPORT"
# (c) runs with this URL: nothing listens there, so a command that connects fails the run.
nodb='postgresql://nobody@/none?host=/nonexistent'
unset RETORT_DATABASE_URL RETORT_DATABASE_URL_FILE DATABASE_URL_FILE RETORT_CONFIG

results=$work/results.tsv
: >"$results"

reset_db() {
	"$psql" -q -X -v ON_ERROR_STOP=1 -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public' \
		>/dev/null 2>&1
}

# timed SAMPLEFILE CMD...: runs CMD once (output discarded) and appends its wall time in ms.
# A failing command aborts the benchmark: a fast failure must never pass for a fast run.
timed() {
	local file=$1 t0 t1 rc=0
	shift
	t0=${EPOCHREALTIME/[.,]/}
	"$@" >"$work/last.out" 2>&1 || rc=$?
	t1=${EPOCHREALTIME/[.,]/}
	if [ "$rc" -ne 0 ]; then
		echo "run.sh: '$*' failed ($rc) in $PWD:" >&2
		tail -n 20 "$work/last.out" >&2
		exit 1
	fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1000 }' >>"$file"
}

# record GROUP N STYLE TOOL SAMPLEFILE: median, min, max of the samples into the results.
record() {
	sort -g "$5" | awk -v g="$1" -v n="$2" -v s="$3" -v t="$4" '
		{ v[NR] = $1 }
		END {
			med = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.1f\t%d\n", g, n, s, t, med, v[1], v[NR], NR
		}' >>"$results"
}

# rss_kib CMD...: peak resident set of CMD in KiB (GNU time, else VmHWM polled from /proc);
# fails when CMD fails.
rss_kib() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || return 1
		tail -n 1 "$work/rss"
	else
		"$@" >/dev/null 2>&1 &
		local pid=$! peak=0 v
		while v=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$v" ]; do
			peak=$v
			sleep 0.005
		done
		# polling every 5 ms can miss a peak shorter than that; GNU time is exact
		wait "$pid" || return 1
		echo "$peak"
	fi
}

# rss_row TOOL CMD...: one (d) line of the results for the current N and style.
rss_row() {
	local tool=$1 kib
	shift
	kib=$(rss_kib "$@") || { echo "run.sh: '$*' failed in $PWD" >&2; exit 1; }
	printf 'd\t%s\t%s\t%s\t%s\n' "$n" "$style" "$tool" "$kib" >>"$results"
}

# at_head TOOL: the apply just timed must have left the database at the project's head.
at_head() {
	local v
	v=$("$psql" -X -Atc 'select version_num from alembic_version')
	[ "$v" = "$head" ] || { echo "run.sh: $1 left the database at '$v', not '$head'" >&2; exit 1; }
}

alembic() { "$python" -m alembic upgrade head; }
floor_noop() { "$psql" -X -Atc 'select version_num from alembic_version'; }
floor_apply() { "$psql" -X -q -v ON_ERROR_STOP=1 -f floor.sql; }

echo "retort: $retort"
echo "runs: $runs (Alembic at N=1000: $alembic_runs_1000); sizes: $sizes"
for n in $sizes; do
	for style in execute ops; do
		proj=$work/p$n-$style
		"$here/gen-project.sh" "$n" "$style" "$proj"
		cd "$proj"
		head=$(cat HEAD)
		# the deploy bundle of the same project, signed and checked against its key
		rm -f "$work/ci.key" "$work/ci.key.pub"
		"$retort" -q keygen "$work/ci.key" >/dev/null
		"$retort" -q bundle -o "$work/p.rtb" --sign "$work/ci.key" >/dev/null
		from_bundle=("$retort" -q --bundle "$work/p.rtb" --trust "$work/ci.key.pub")
		s=$work/s
		rm -f "$s".*
		ar=$runs
		[ "$n" -lt 1000 ] || ar=$alembic_runs_1000
		echo "N=$n $style: apply" >&2

		# (b) apply all N from empty; the tools take turns so drift hits all alike.
		for ((i = 1; i <= runs; i++)); do
			reset_db; timed "$s.b.retort" "$retort" -q upgrade head; at_head retort
			reset_db; timed "$s.b.retort-bundle" "${from_bundle[@]}" upgrade head
			at_head retort-bundle
			reset_db; timed "$s.b.psql" floor_apply; at_head psql
			if [ "$i" -le "$ar" ]; then
				reset_db; timed "$s.b.alembic" alembic; at_head alembic
			fi
		done

		# (a) no-op at head: retort set the database up, so its own tables are there.
		reset_db
		"$retort" -q upgrade head >/dev/null
		echo "N=$n $style: no-op" >&2
		for ((i = 1; i <= runs; i++)); do
			timed "$s.a.retort" "$retort" -q upgrade head
			timed "$s.a.retort-bundle" "${from_bundle[@]}" upgrade head
			timed "$s.a.psql" floor_noop
			if [ "$i" -le "$ar" ]; then timed "$s.a.alembic" alembic; fi
		done

		# (c) reading the scripts only: no database (a dead URL proves none is needed).
		echo "N=$n $style: check/history" >&2
		for ((i = 1; i <= runs; i++)); do
			DATABASE_URL=$nodb timed "$s.c.check" "$retort" check
			DATABASE_URL=$nodb timed "$s.c.history" "$retort" history
			if [ "$i" -le "$ar" ]; then timed "$s.c.alembic-history" "$python" -m alembic history; fi
		done

		for f in "$s".*; do
			key=${f#"$s".}
			record "${key%%.*}" "$n" "$style" "${key#*.}" "$f"
		done

		# (d) peak RSS at N=1000, one run each (it barely varies).
		if [ "$n" -eq 1000 ]; then
			echo "N=$n $style: peak RSS" >&2
			reset_db
			rss_row "retort apply" "$retort" -q upgrade head
			rss_row "retort no-op" "$retort" -q upgrade head
			rss_row "retort bundle-no-op" "${from_bundle[@]}" upgrade head
			DATABASE_URL=$nodb rss_row "retort check" "$retort" check
			reset_db
			rss_row "psql apply" "$psql" -X -q -v ON_ERROR_STOP=1 -f floor.sql
			reset_db
			rss_row "alembic apply" "$python" -m alembic upgrade head
			rss_row "alembic no-op" "$python" -m alembic upgrade head
			rss_row "psql no-op" "$psql" -X -Atc 'select version_num from alembic_version'
		fi
		cd "$work"
	done
done

# The table: every time with its ratio to the group's reference (the psql floor for (a) and
# (b), Alembic's history for (c)); RSS with retort's excess over psql.
echo
printf '%-28s %5s %-8s %-16s %9s %9s %9s %4s %8s\n' \
	test N style tool 'median ms' 'min ms' 'max ms' runs ratio
awk -F'\t' '
	$1 == "a" || $1 == "b" || $1 == "c" {
		ref = $1 == "c" ? "alembic-history" : "psql"
		if ($4 == ref) base[$1, $2, $3] = $5
		row[++nr] = $0
	}
	$1 == "d" { rss[++nd] = $0; kib[$2, $3, $4] = $5 }
	END {
		name["a"] = "(a) no-op upgrade at head"
		name["b"] = "(b) apply all from empty"
		name["c"] = "(c) scripts only, no db"
		for (i = 1; i <= nr; i++) {
			split(row[i], f, "\t")
			b = base[f[1], f[2], f[3]]
			r = b > 0 ? sprintf("%.2fx", f[5] / b) : "-"
			printf "%-28s %5s %-8s %-16s %9.1f %9.1f %9.1f %4s %8s\n", \
				name[f[1]], f[2], f[3], f[4], f[5], f[6], f[7], f[8], r
		}
		if (nd) {
			printf "\n%-28s %5s %-8s %-16s %12s %16s\n", "test", "N", "style", "tool", \
				"peak RSS KiB", "vs psql (MiB)"
		}
		for (i = 1; i <= nd; i++) {
			split(rss[i], f, "\t")
			split(f[4], w, " ")
			p = kib[f[2], f[3], "psql " w[2]]
			if (w[2] == "check") p = kib[f[2], f[3], "psql no-op"]
			d = p > 0 ? sprintf("%+.2f", (f[5] - p) / 1024) : "-"
			printf "%-28s %5s %-8s %-16s %12d %16s\n", "(d) peak RSS", f[2], f[3], f[4], f[5], d
		}
	}' "$results"
