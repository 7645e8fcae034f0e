#!/usr/bin/env bash
# docs/untangling.md, run as written: every `$ command` of its console blocks runs in one
# shell, from a folder where `tests/` and `migrations-example/` are the repository's (the
# walkthroughs copy what they change), with this retort first on PATH and the throwaway
# server as libpq's default (PGHOST/PGPORT from run.sh), and must print what the page shows.
set -uo pipefail
: "${RETORT_BIN:?run this through tests/db/run.sh}"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$RETORT_TEST_WORK/doc
mkdir -p "$work/bin"
ln -s "$repo/tests" "$work/tests"
ln -s "$repo/migrations-example" "$work/migrations-example"
ln -s "$RETORT_BIN" "$work/bin/retort"
ln -s "${RETORT_PYTHON:-/usr/bin/python3}" "$work/bin/python3"
unset RETORT_DATABASE_URL
export PATH=$work/bin:$PATH PGUSER=postgres
exec "${RETORT_PYTHON:-/usr/bin/python3}" "$repo/tests/db/doctest.py" "$repo/docs/untangling.md" "$work"
