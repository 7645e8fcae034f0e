#!/usr/bin/env bash
# footprint.sh: what it takes on disk to run retort against what it takes to run Alembic.
# retort: the binary plus its shared-library closure (ldd) beyond glibc. Alembic: the files of
# the Debian packages it runs on (python3.11 + stdlib, sqlalchemy, alembic, psycopg2, mako and
# their runtime deps) plus the shared-library closure of the interpreter and their extensions.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
retort=${RETORT:-$root/build/src/cli/retort}
case $retort in /*) ;; *) retort=$root/$retort ;; esac
[ -x "$retort" ] || { echo "footprint.sh: no retort binary at '$retort' (set RETORT=)" >&2; exit 1; }
python=$(readlink -f /usr/bin/python3)
alembic_pkgs=(python3.11-minimal libpython3.11-minimal libpython3.11-stdlib python3.11
	python3-sqlalchemy python3-greenlet python3-alembic python3-psycopg2 python3-mako
	python3-markupsafe)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# glibc is on every Linux system either way: counted for neither side.
dpkg -L libc6 | while read -r f; do if [ -f "$f" ]; then readlink -f "$f"; fi; done |
	sort -u >"$work/glibc"

# closure FILE...: real paths of the shared libraries the ELF files load, glibc excluded.
closure() {
	local f
	for f in "$@"; do
		{ ldd "$f" 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
	done | xargs -r readlink -f | sort -u | comm -23 - "$work/glibc"
}

# bytes: total size of the distinct files named on stdin.
bytes() { sort -u | xargs -r stat -L -c %s | awk '{ s += $1 } END { print s + 0 }'; }

mib() { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1048576 }'; }

row() { printf '%-44s %8s %12s\n' "$1" "$2" "$(mib "$3")"; }

# retort
rbin=$(stat -L -c %s "$retort")
cp "$retort" "$work/retort.stripped"
strip "$work/retort.stripped"
rstrip=$(stat -c %s "$work/retort.stripped")
closure "$retort" >"$work/rlibs"
rlibs=$(bytes <"$work/rlibs")

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

printf '%-44s %8s %12s\n' component files MiB
row "retort binary ($(basename "$retort"), as built)" 1 "$rbin"
row "retort binary, stripped" 1 "$rstrip"
row "retort shared libraries beyond glibc" "$(wc -l <"$work/rlibs")" "$rlibs"
row "retort total (stripped binary + libraries)" "$(($(wc -l <"$work/rlibs") + 1))" \
	"$((rstrip + rlibs))"
row "Alembic: Debian package files" "$(wc -l <"$work/afiles")" "$apkg"
row "Alembic: .pyc caches made at install" "-" "$apyc"
row "Alembic: shared libraries beyond glibc" "$(wc -l <"$work/alibs")" "$alibs"
row "Alembic total" "-" "$((apkg + apyc + alibs))"
echo
echo "packages counted for Alembic: ${alembic_pkgs[*]}"
echo "interpreter: $python"
echo "retort libraries:"
sed 's/^/  /' "$work/rlibs"
