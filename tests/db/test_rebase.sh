#!/usr/bin/env bash
# rebase with a database: a revision the database has applied (a version row or below one)
# is refused with exit 2 naming the database (password masked) and writing nothing; a
# revision it has not applied is rebased, and upgrade then follows the new graph.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

B=22bb00000002 C=33cc00000003 D=44dd00000004
FB=versions/22bb00000002_create_orders.py
FD=versions/44dd00000004_order_totals_view.py
sums() { sha256sum versions/* | sha256sum; }

begin "an applied revision is refused"
project rebase linear
expect 0 retort upgrade $C
before=$(sums)
expect 2 retort rebase $C --onto 11aa00000001
check_grep "$ERR" "error: revision '$C' is applied to the database postgresql://postgres@127\.0\.0\.1:$PGPORT/" \
	"the refusal names the revision and the database"
check_grep "$ERR" "hint: downgrade that database below it first \(retort downgrade $B\), or rebase a revision it has not applied yet" \
	"the hint says what to do"
expect 2 retort rebase $B --onto base
check_grep "$ERR" "revision '$B' is applied" "a revision below the version row is applied too"
expect 2 retort rebase $C --onto 11aa00000001 --dry-run
check_grep "$ERR" "revision '$C' is applied" "--dry-run refuses too"
masked=${RETORT_DATABASE_URL/postgres@/postgres:s3cret@}
expect 2 retort -d "$masked" rebase $C --onto 11aa00000001
check_grep "$ERR" "postgres:\*\*\*@127\.0\.0\.1" "the URL is shown with its password masked"
check_nogrep "$ERR" "s3cret" "the password is not shown"
expect 2 retort --format json rebase $C --onto 11aa00000001
check_json "$OUT" 'one("error")["exit_code"] == 2 and "applied" in ev[0]["message"]' "JSON refusal"
check_eq "$(sums)" "$before" "no file changed"
check_eq "$(rows)" "$C" "the database is untouched"

begin "a revision not applied is rebased"
expect 0 retort rebase $D --onto $B
check_eq "$(cat "$OUT")" "Rebased $D onto $B ($FD)" "rebase prints what it did"
check_grep "$ERR" "warning: after this rebase, two heads: '$C' and '$D' both descend from '$B'" \
	"two heads remain: a warning"
check_grep "$FD" "^down_revision = '$B'$" "the file has the new parent"
check_grep "$FD" "^Revises: $B$" "and the new Revises: line"
expect 0 alembic heads
check_grep "$OUT" "^$D \(head\)$" "Alembic sees the rebased head"
expect 0 retort upgrade heads
check_eq "$(rows)" "$C $D" "upgrade heads applies it on its new parent"
expect 2 retort rebase $D --onto $C
check_grep "$ERR" "revision '$D' is applied" "once applied it is refused"

begin "the database check needs a reachable database unless --no-db"
expect 4 retort -d "postgresql://postgres@127.0.0.1:1/none" rebase $D --onto $C
check_grep "$ERR" "pass --no-db to rebase without checking the database" "the hint offers --no-db"
expect 0 retort downgrade $B
expect 0 retort rebase $D --onto $C
check_grep "$FD" "^down_revision = '$C'$" "rebased back after the downgrade"
expect 0 retort upgrade
check_eq "$(rows)" "$D" "one line again: upgrade reaches the head"

finish
