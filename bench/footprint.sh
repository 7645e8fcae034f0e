#!/usr/bin/env bash
# footprint.sh: what it takes on disk and in memory to run retort, against Alembic, psql and
# (when DBMATE= names its binary) dbmate. Disk: the binary plus its ldd closure beyond glibc;
# Alembic's Debian packages, .pyc caches and library closure; then each build's FROM scratch
# file list. Memory and start-up: peak RSS, median and minimum wall time on migrations-example/
# against a throwaway cluster (scripts/pg-harness). RETORT=path (default build/src/cli/retort),
# RETORT_STATIC=path (a -Dstatic_deps=true build), RETORT_PG_BIN (PostgreSQL's bin directory).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$root/$1" ;; esac; }
retort=$(abs "${RETORT:-build/src/cli/retort}")
builds=(default)
bins=("$retort")
if [ -n "${RETORT_STATIC:-}" ]; then
	builds+=(static)
	bins+=("$(abs "$RETORT_STATIC")")
fi
for b in "${bins[@]}"; do
	[ -x "$b" ] || { echo "footprint.sh: no retort binary at '$b' (set RETORT=, RETORT_STATIC=)" >&2; exit 1; }
done
dbmate=${DBMATE:-}
if [ -n "$dbmate" ]; then
	dbmate=$(abs "$dbmate")
	[ -x "$dbmate" ] || { echo "footprint.sh: no dbmate binary at '$dbmate'" >&2; exit 1; }
fi
pgbin=${RETORT_PG_BIN:-/usr/lib/postgresql/15/bin}
psql=$pgbin/psql
starts=21
python=$(readlink -f /usr/bin/python3)
alembic_pkgs=(python3.11-minimal libpython3.11-minimal libpython3.11-stdlib python3.11
	python3-sqlalchemy python3-greenlet python3-alembic python3-psycopg2 python3-mako
	python3-markupsafe)

# The cluster runs as postgres when we are root: its directory must be enterable.
work=$(mktemp -d /tmp/retort-footprint.XXXXXX)
chmod 755 "$work"
cleanup() {
	"$root/scripts/pg-harness" stop "$work/pg" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# glibc is on every Linux system either way: counted for neither side.
dpkg -L libc6 | while read -r f; do if [ -f "$f" ]; then readlink -f "$f"; fi; done |
	sort -u >"$work/glibc"

# loaded FILE...: the paths ldd resolves for the ELF files (sonames, as the loader opens them).
loaded() {
	local f
	for f in "$@"; do
		{ ldd "$f" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | sort -u
}

# closure FILE...: real paths of the shared libraries the ELF files load, glibc excluded.
closure() { loaded "$@" | xargs -r readlink -f | sort -u | comm -23 - "$work/glibc"; }

# bytes: total size of the distinct files named on stdin.
bytes() { sort -u | xargs -r stat -L -c %s | awk '{ s += $1 } END { print s + 0 }'; }

mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

row() { printf '%-52s %8s %12s\n' "$1" "$2" "$(mib "$3")"; }

echo "== disk"
printf '%-52s %8s %12s\n' component files MiB
for i in "${!bins[@]}"; do
	b=${bins[$i]} name=${builds[$i]}
	strip -o "$work/$name.stripped" "$b"
	closure "$b" >"$work/$name.libs"
	n=$(wc -l <"$work/$name.libs")
	stripped=$(stat -c %s "$work/$name.stripped")
	libs=$(bytes <"$work/$name.libs")
	row "retort $name: binary as built" 1 "$(stat -L -c %s "$b")"
	row "retort $name: binary stripped" 1 "$stripped"
	row "retort $name: shared libraries beyond glibc" "$n" "$libs"
	row "retort $name: total (stripped + libraries)" "$((n + 1))" "$((stripped + libs))"
done

# Alembic: the packages' regular files, then the libraries their ELF files pull in.
for p in "${alembic_pkgs[@]}"; do
	dpkg -L "$p" | while read -r f; do if [ -f "$f" ] && [ ! -L "$f" ]; then echo "$f"; fi; done
done | sort -u >"$work/afiles"
apkg=$(bytes <"$work/afiles")
grep -E '\.so(\.|$)|/python3\.11$' "$work/afiles" >"$work/aelf" || true
mapfile -t aelf <"$work/aelf"
closure "${aelf[@]}" | comm -23 - "$work/afiles" >"$work/alibs"
alibs=$(bytes <"$work/alibs")
# Byte-compiled caches are made at install time and belong to no package's file list.
apyc=$(for p in "${alembic_pkgs[@]}"; do dpkg -L "$p"; done |
	grep -E '/(dist|site)-packages/|/usr/lib/python3\.11/' | grep -v __pycache__ |
	while read -r d; do if [ -d "$d/__pycache__" ]; then echo "$d/__pycache__"; fi; done |
	sort -u |
	xargs -r -I{} find {} -maxdepth 1 -type f -name '*.pyc' | bytes)
row "Alembic: Debian package files" "$(wc -l <"$work/afiles")" "$apkg"
row "Alembic: .pyc caches made at install" "-" "$apyc"
row "Alembic: shared libraries beyond glibc" "$(wc -l <"$work/alibs")" "$alibs"
row "Alembic total" "-" "$((apkg + apyc + alibs))"
if [ -n "$dbmate" ]; then
	closure "$dbmate" >"$work/dlibs"
	row "dbmate: binary ($(basename "$dbmate"))" 1 "$(stat -L -c %s "$dbmate")"
	row "dbmate: shared libraries beyond glibc" "$(wc -l <"$work/dlibs")" "$(bytes <"$work/dlibs")"
fi
echo
echo "packages counted for Alembic: ${alembic_pkgs[*]}"
echo "interpreter: $python"
for name in "${builds[@]}"; do
	echo "retort $name: libraries beyond glibc:"
	xargs -r stat -c '  %s %n' <"$work/$name.libs"
done

# What a FROM scratch image must hold: the stripped binary and every file the loader opens,
# glibc's included, at the path it opens them by (the soname link, copied as a file).
echo
echo "== FROM scratch image contents (bytes, path in the image)"
for i in "${!bins[@]}"; do
	name=${builds[$i]}
	echo "retort $name:"
	loaded "${bins[$i]}" | while read -r f; do printf '%s %s\n' "$(stat -L -c %s "$f")" "$f"; done |
		cat - <(printf '%s /usr/local/bin/retort\n' "$(stat -c %s "$work/$name.stripped")") |
		sort -k2 | tee "$work/$name.image" | awk '{ printf "  %10d  %s\n", $1, $2 }'
	awk '{ s += $1; n++ } END { printf "  %10d  total, %d files (%.2f MiB)\n", s, n, s / 1048576 }' \
		"$work/$name.image"
done

# Memory and start-up: one database per build, brought to head, then timed at head.
eval "$("$root/scripts/pg-harness" start "$work/pg")"
unset RETORT_DATABASE_URL RETORT_DATABASE_URL_FILE DATABASE_URL_FILE RETORT_CONFIG
cp -r "$root/migrations-example" "$work/project"
rm -rf "$work/project/versions/__pycache__"
cd "$work/project"

# rss_kib CMD...: peak resident set of CMD in KiB (GNU time); fails when CMD fails.
rss_kib() {
	/usr/bin/time -f %M -o "$work/rss" "$@" >"$work/out" 2>&1 ||
		{ echo "footprint.sh: '$*' failed:" >&2; tail -n 5 "$work/out" >&2; exit 1; }
	tail -n 1 "$work/rss"
}

# Start-up: the commands take turns, $starts rounds, so load drift on a shared machine hits
# them alike; the median and the minimum wall time of each (no fork around the timer).
timings=()
time_cmd() { timings+=("$(printf '%q ' "$@")"); }
time_all() {
	local r k t0 t1
	for ((r = 0; r < starts; r++)); do
		for k in "${!timings[@]}"; do
			t0=${EPOCHREALTIME/[.,]/}
			eval "${timings[$k]}" >/dev/null 2>&1 ||
				{ echo "footprint.sh: '${timings[$k]}' failed" >&2; exit 1; }
			t1=${EPOCHREALTIME/[.,]/}
			echo $((t1 - t0)) >>"$work/t$k"
		done
	done
}
# ms K: "median min" of the K-th timed command, in ms.
ms() {
	sort -n "$work/t$1" | awk '{ v[NR] = $1 }
		END { printf "%.2f %.2f\n", v[int((NR + 1) / 2)] / 1000, v[1] / 1000 }'
}

mrow() { printf '%-52s %12s %10s %8s\n' "$@"; }

echo
echo "== memory and start-up (migrations-example/, $(find versions -maxdepth 1 -name '*.py' | wc -l) revisions)"
labels=()
rss=()
# measure LABEL CMD...: peak RSS now, wall time later in time_all.
measure() {
	local kib
	labels+=("$1")
	shift
	kib=$(rss_kib "$@") || exit 1
	rss+=("$kib")
	time_cmd "$@"
}
for i in "${!bins[@]}"; do
	b=${bins[$i]} name=${builds[$i]}
	"$psql" -X -q -c "CREATE DATABASE fp_$name" >/dev/null
	url="postgresql://postgres@/fp_$name?host=$PGHOST&port=$PGPORT"
	DATABASE_URL=$url "$b" -q upgrade head >/dev/null
	measure "retort $name: --version" "$b" --version
	measure "retort $name: check" "$b" check
	measure "retort $name: no-op upgrade head" "$b" -q -d "$url" upgrade head
done
measure "psql --version" "$psql" --version
measure "psql: select version_num from alembic_version" \
	"$psql" -X -Atc 'select version_num from alembic_version' "$url"
if [ -n "$dbmate" ]; then
	measure "dbmate --version" "$dbmate" --version
fi
time_all
mrow command "peak RSS KiB" "median ms" "min ms"
for k in "${!labels[@]}"; do
	read -r med min < <(ms "$k")
	mrow "${labels[$k]}" "${rss[$k]}" "$med" "$min"
done
echo "(wall times over $starts rounds, commands interleaved)"
