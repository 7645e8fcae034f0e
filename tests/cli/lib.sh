# shellcheck shell=bash
# Shared by the scripted CLI tests (sourced with the retort binary as $1): a scratch
# directory removed on exit, no database in the environment, and ok/not ok counting.
set -uo pipefail
retort=$(realpath "$1")
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
alembic=(/usr/bin/python3 -m alembic)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NO_COLOR=1 TZ=UTC
unset RETORT_DATABASE_URL DATABASE_URL RETORT_DATABASE_URL_FILE DATABASE_URL_FILE
fails=0
pass() { echo "ok - $1"; }
fail() { echo "not ok - $1" >&2; fails=$((fails + 1)); }
check() { # check NAME COMMAND...: passes when the command succeeds
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name"; fi
}
