#!/usr/bin/env bash
# Drift: editing an applied version file (or its sidecar) stops every run with exit 7
# naming it; verify shows it; repair records the reviewed edit; then upgrade proceeds.
# Line endings and edits to revisions not yet applied are not drift.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

B=22bb00000002 C=33cc00000003 D=44dd00000004
FB=versions/22bb00000002_create_orders.py

begin "an edited applied file stops upgrade and downgrade"
project drift linear
rm versions/44dd00000004_order_totals_view.py
expect 0 retort upgrade
echo "# reviewed: a comment only" >>$FB
expect 7 retort upgrade
check_grep "$ERR" "^$FB: error: revision '$B' was applied from different files" \
	"upgrade names the file and the revision"
check_grep "$ERR" "retort repair $B" "the hint names repair"
expect 7 retort downgrade -1
check_grep "$ERR" "'$B'" "downgrade refuses too"
expect 7 retort --format json upgrade
check_json "$OUT" 'one("error")["exit_code"] == 7 and ev[0]["file"] == "'$FB'"' "drift as JSON"
check_eq "$(rows)$(relation accounts)" "${C}t" "nothing changed"

begin "verify shows the drift"
expect 7 retort verify
check_grep "$OUT" "^drift: '$B' \($FB\) changed since it was applied: recorded [0-9a-f]{16}\.\.\., now [0-9a-f]{16}\.\.\.$" \
	"verify lists the drifted revision"
check_grep "$OUT" "^applied: 3 revisions, 3 with a recorded checksum$" "verify counts"
expect 7 retort --format json verify
check_json "$OUT" 'ev[0]["ok"] is False and ev[0]["drifted"] == ["'$B'"] and ev[1]["exit_code"] == 7' \
	"verify JSON lists it"

begin "repair accepts the edit, upgrade proceeds"
new_sum=$(retort --format json history | "$PY" -c 'import json,sys
print([e["checksum"] for e in map(json.loads, sys.stdin) if e["revision"] == "'$B'"][0])')
expect 0 retort repair $B
check_eq "$(cat "$OUT")" "recorded $new_sum for '$B'" "repair prints the recorded checksum"
check_eq "$(q "SELECT checksum FROM retort_history WHERE direction = 'repair' AND revision = '$B'")" \
	"$new_sum" "the repair row holds the file's checksum"
expect 0 retort verify
cp "$FIX/linear/versions/44dd00000004_order_totals_view.py" versions/
expect 0 retort upgrade
check_grep "$OUT" "^Done: 1 step" "upgrade proceeds after repair"
check_eq "$(rows)" $D "at head"

begin "line endings and unapplied revisions are not drift"
sed -i 's/$/\r/' versions/11aa00000001_create_accounts.py
expect 0 retort verify
check_grep "$OUT" "^applied: 4 revisions, 4 with a recorded checksum$" "CRLF is folded to LF"
expect 0 retort downgrade $C
echo "# edited while not applied" >>versions/44dd00000004_order_totals_view.py
expect 0 retort upgrade
check_eq "$(rows)" $D "an edit to an unapplied revision is no drift"

begin "a sidecar is part of the checksum; repair without arguments records every drift"
cat >versions/33cc00000003_index_and_seed.sql <<'SQL'
-- retort:upgrade
CREATE INDEX ix_orders_account_id ON orders (account_id);
INSERT INTO accounts (name) VALUES ('seed');
-- retort:downgrade
DELETE FROM accounts WHERE name = 'seed';
DROP INDEX ix_orders_account_id;
SQL
echo "# and this one" >>$FB
expect 7 retort verify
check_grep "$OUT" "^drift: '$B'" "the .py edit"
check_grep "$OUT" "^drift: '$C'" "the new sidecar"
expect 7 retort upgrade
check_grep "$ERR" "2 applied revisions changed in all" "upgrade counts them"
expect 0 retort repair
check_eq "$(grep -c '^recorded ' "$OUT")" 2 "repair records both"
expect 0 retort verify
check_nogrep "$OUT" "^drift" "no drift left"
finish
