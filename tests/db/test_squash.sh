#!/usr/bin/env bash
# Squash: migrations-example squashed up to its merge 8c64e2a497d9 builds the same schema
# as the original chain (retort and Alembic); a database at the merge stamped with the
# printed command, and one past it repaired as printed, then upgrade cleanly; downgrading
# the squashed revision empties the schema. Refusals (an untranslatable body, a branch
# leaving the range) and --dry-run write nothing; --keep leaves the files.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EXAMPLE=../../../migrations-example
REV=8c64e2a497d9   # the merge of billing and search
CHILD=728111a24eb7 # its only child, the head
ID=5ab5ab5ab5ab    # the squashed revision's id (--rev-id)

# snapshot: every file of the current project with its checksum, for "nothing written".
snapshot() { find . -type f ! -name '.*' -print0 | sort -z | xargs -0 sha256sum; }
# printed LINE-ERE: the indented command the last squash printed that matches, unindented.
printed() { sed -n "s/^  \($1.*\)$/\1/p" "$WORK/squash.out" | head -n 1; }
fingerprint() { retort -q fingerprint; }

begin "the original chain up to the merge"
project orig "$EXAMPLE"
fresh_db at_rev
DB_REV=$RETORT_DATABASE_URL
expect 0 retort upgrade $REV
check_eq "$(rows)" $REV "the database is at the merge"

begin "squash --to the merge"
project squashed "$EXAMPLE"
expect 0 retort squash --to $REV -m "initial schema" --rev-id $ID
cp "$OUT" "$WORK/squash.out"
check_empty "$ERR" "nothing on stderr"
check_grep "$OUT" "^Squashing 14 revisions after base up to $REV into $ID:$" "the range is announced"
check_grep "$OUT" "^Generating versions/${ID}_initial_schema\.py \.\.\.  done$" "the .py is written"
check_grep "$OUT" "^Generating versions/${ID}_initial_schema\.sql \.\.\.  done$" "and its sidecar"
check_grep "$OUT" "^Re-pointing versions/${CHILD}_cascade_comment_deletes\.py to $ID \.\.\.  done$" \
	"the child is re-pointed"
check_eq "$(grep -c "^Archiving .* to squashed/$ID/ \.\.\.  done$" "$OUT")" 15 \
	"14 version files and one sidecar are archived"
check_eq "$(LC_ALL=C ls versions | tr '\n' ' ')" \
	"${ID}_initial_schema.py ${ID}_initial_schema.sql ${CHILD}_cascade_comment_deletes.py " \
	"the version folder holds the new revision and the child"
check_eq "$(ls squashed/$ID | wc -l)" 15 "the archive holds the squashed files"
check_grep "versions/${CHILD}_cascade_comment_deletes.py" "^down_revision = '$ID'$" \
	"the child's down_revision names the new revision"
check_grep "versions/${CHILD}_cascade_comment_deletes.py" "^Revises: $ID$" "and its Revises: line"
check_grep "versions/${ID}_initial_schema.py" "^down_revision = None$" "the new revision is a base"
check_grep "versions/${ID}_initial_schema.py" "^branch_labels = \('search', 'billing'\)$" \
	"the members' branch labels moved to it (in plan order)"
check_grep "versions/${ID}_initial_schema.sql" "^-- retort:upgrade no-transaction$" \
	"the CONCURRENTLY index keeps its no-transaction section"
check_grep "versions/${ID}_initial_schema.sql" "^-- 98bbdfd0dd06: index audit log concurrently$" \
	"each step is marked"
check_eq "$(printed "retort stamp")" "retort stamp --purge $ID" "the retort stamp command"
check_eq "$(printed "alembic stamp")" "alembic stamp --purge $ID" "the Alembic stamp command"
check_eq "$(printed "retort repair")" "retort repair $CHILD" "the repair for databases past it"
expect 0 retort check
expect 0 retort heads
check_eq "$(cut -d' ' -f1 "$OUT")" $CHILD "one head"
expect 0 alembic heads
check_lines "$OUT" 1 "Alembic sees one head"
check_grep "$OUT" "^$CHILD " "Alembic's head is the child"
expect 0 alembic history
check_grep "$OUT" "^<base> -> $ID \((billing, search|search, billing)\).*initial schema$" \
	"Alembic reads the new revision (its label order is a set's)"

begin "the squashed revision builds the same schema"
fresh_db squashed
DB_NEW=$RETORT_DATABASE_URL
expect 0 retort upgrade $ID
check_eq "$(rows)" $ID "the database is at the squashed revision"
expect 0 retort fingerprint --compare "$DB_REV"
check_eq "$(fingerprint)" "$(RETORT_DATABASE_URL=$DB_REV fingerprint)" "the same fingerprint"

begin "a database at the merge, stamped as printed, upgrades cleanly"
export RETORT_DATABASE_URL=$DB_REV
eval "expect 0 $(printed "retort stamp")"
check_eq "$(rows)" $ID "stamped to the squashed revision"
expect 0 retort verify
expect 0 retort upgrade head
check_eq "$(rows)" $CHILD "upgraded to the head"
expect 0 retort upgrade head
check_grep "$OUT" "^Nothing to do" "nothing left"
RETORT_DATABASE_URL=$DB_NEW expect 0 retort upgrade head
expect 0 retort fingerprint --compare "$DB_NEW"

begin "Alembic: a database at the merge, stamped as printed, upgrades cleanly"
fresh_db alembic_stamp
cd "$WORK/orig" && expect 0 alembic upgrade $REV
cd "$WORK/squashed" || exit 1
eval "expect 0 $(printed "alembic stamp")"
check_eq "$(rows)" $ID "Alembic stamped the squashed revision"
expect 0 alembic upgrade head
check_eq "$(rows)" $CHILD "Alembic upgraded to the head"
expect 0 retort upgrade head
check_grep "$OUT" "^Nothing to do" "retort agrees"
expect 0 retort fingerprint --compare "$DB_NEW"

begin "a database past the merge is repaired as printed"
fresh_db past
cd "$WORK/orig" && expect 0 retort upgrade head
cd "$WORK/squashed" || exit 1
expect 7 retort upgrade head
check_grep "$ERR" "revision '$CHILD' was applied from different files" "the re-pointed child drifted"
eval "expect 0 $(printed "retort repair")"
expect 0 retort verify
expect 0 retort upgrade head
check_grep "$OUT" "^Nothing to do" "then nothing to do"
expect 0 alembic upgrade head

begin "Alembic applies the squashed project"
fresh_db alembic_fresh
DB_HEAD=$RETORT_DATABASE_URL
expect 0 alembic upgrade head
check_eq "$(rows)" $CHILD "at the head"
expect 0 retort fingerprint --compare "$DB_NEW"

begin "downgrading the squashed revision leaves an empty schema"
fresh_db empty
EMPTY=$RETORT_DATABASE_URL
RETORT_DATABASE_URL=$DB_NEW expect 0 retort downgrade base
check_eq "$(RETORT_DATABASE_URL=$DB_NEW rows)" "" "at base"
RETORT_DATABASE_URL=$DB_NEW expect 0 retort fingerprint --compare "$EMPTY"
export RETORT_DATABASE_URL=$DB_REV
expect 0 alembic downgrade base
expect 0 retort fingerprint --compare "$EMPTY"

begin "--from: a middle range, entered from the revision kept below it"
project middle "$EXAMPLE"
expect 0 retort squash --from 98bbdfd0dd06 --to $REV -m "middle" --rev-id 3a3a3a3a3a3a
check_grep "$OUT" "^Squashing 6 revisions after 98bbdfd0dd06 up to $REV into 3a3a3a3a3a3a:$" \
	"the range starts above --from"
check_grep "versions/3a3a3a3a3a3a_middle.py" "^down_revision = '98bbdfd0dd06'$" "it revises --from"
check_eq "$(ls versions | wc -l)" 11 "9 of the 16 files stay, 2 are new"
expect 0 alembic heads
check_lines "$OUT" 1 "one head"
fresh_db middle
expect 0 retort upgrade head
expect 0 retort fingerprint --compare "$DB_HEAD"
expect 0 retort downgrade 98bbdfd0dd06
check_eq "$(rows)" 98bbdfd0dd06 "the squashed revision reverts to --from"

begin "--dry-run writes nothing"
project dry "$EXAMPLE"
snapshot >"$WORK/before"
expect 0 retort squash --to $REV -m "initial schema" --dry-run
check_grep "$OUT" "^Would write versions/[0-9a-f]{12}_initial_schema\.py and " "the files it would write"
check_grep "$OUT" "^Would re-point versions/${CHILD}_cascade_comment_deletes\.py to " "the child"
check_grep "$OUT" "^Dry run: nothing written\.$" "says so"
check_eq "$(snapshot)" "$(cat "$WORK/before")" "no file changed"
expect 0 retort --format json squash --to $REV -m "initial schema" --dry-run
check_json "$OUT" "len(ev) == 1 and one('squash')['dry_run'] and len(one('squash')['members']) == 14
	and one('squash')['children'] == ['$CHILD'] and one('squash')['to'] == '$REV'
	and one('squash')['from'] is None and one('squash')['labels'] == ['search', 'billing']
	and one('squash')['stamp'][0].startswith('retort stamp --purge ')" "the JSON event"
check_eq "$(snapshot)" "$(cat "$WORK/before")" "no file changed"

begin "--keep leaves the squashed files"
project keep "$EXAMPLE"
expect 0 retort squash --to $REV -m "initial schema" --rev-id $ID --keep
check_grep "$ERR" "warning: the squashed files were kept" "a warning says what that means"
check_eq "$(ls versions | wc -l)" 18 "the 16 original files and the two new ones"
check_eq "$(ls -d squashed 2>/dev/null)" "" "no archive"
check_grep "versions/${CHILD}_cascade_comment_deletes.py" "^down_revision = '$ID'$" \
	"the child is re-pointed"

begin "an untranslatable body is refused, naming it; nothing written"
project bad "$EXAMPLE"
f=versions/61f6a3a51079_add_assignee_to_tasks.py
sed -i 's/^def upgrade() -> None:$/import helpers\n\n&\n    helpers.add_everything(op)/' "$f"
check_grep "$f" "^    helpers.add_everything\(op\)$" "the fixture edit took"
snapshot >"$WORK/before"
expect 3 retort squash --to $REV -m "initial schema"
check_grep "$ERR" "^$f:[0-9]+:[0-9]+: error: cannot squash '61f6a3a51079': " \
	"the revision and its file:line:col are named"
check_eq "$(snapshot)" "$(cat "$WORK/before")" "no file changed"

begin "a branch leaving the range is refused; nothing written"
project branch "$EXAMPLE"
snapshot >"$WORK/before"
expect 3 retort squash --to 3983d560e703 -m "billing"
check_grep "$ERR" "cannot squash: 'f1322428ec3c' revises 'a2286d909a81', inside the range, so a branch leaves the range" \
	"the branch is named"
check_eq "$(snapshot)" "$(cat "$WORK/before")" "no file changed"
# up to the branch point itself both branches are children: allowed
expect 0 retort squash --to a2286d909a81 -m "core" --dry-run
check_grep "$OUT" "^Would re-point versions/3983d560e703_create_invoices_table\.py " "one child"
check_grep "$OUT" "^Would re-point versions/f1322428ec3c_create_saved_searches\.py " "the other"

finish
