#!/usr/bin/env bash
# placeholder: replaced by the real test
echo "test_revision_sql.sh: not written yet" >&2
exit 1
