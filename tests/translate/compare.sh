#!/bin/sh
# Differential test of retort's op.* translator against real Alembic's offline SQL:
#   compare.sh [-v] RETORT [PROJECT...]
# One ok/FAIL line per revision (with a unified diff on failure), then
# `N passed, N failed`; exit 1 on any failure. See compare.py and README.md.
here=$(cd "$(dirname "$0")" && pwd -P)
PYTHONDONTWRITEBYTECODE=1 exec "${PYTHON:-python3}" "$here/compare.py" "$@"
