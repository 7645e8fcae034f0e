#!/usr/bin/env bash
# retort revision / merge against real Alembic 1.8.1, in scratch copies of
# migrations-example/ and lab fixtures: the text Alembic writes (apart from
# id and date), heads/history/upgrade --sql in both tools, merge heads,
# refusals, file_template naming. Needs no database.
# Usage: test_authoring.sh RETORT_BINARY
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$1"
copy() { rm -rf "$tmp/$2"; cp -r "$top/$1" "$tmp/$2"; }
# the version file a "Generating PATH ...  done" line names
generated() { sed -n 's/^Generating \(.*\) \.\.\.  done$/\1/p' "$1"; }
# a version file with its id and create date replaced
normalise() {
	sed -E -e 's/[0-9a-f]{12}/REVID/g' \
	    -e 's/^Create Date: .*/Create Date: DATE/' "$1"
}

# --- revision on migrations-example, compared with alembic revision ---
copy migrations-example ex
copy migrations-example ex-alembic
cd "$tmp/ex"
msg='Add Things: to the-table!'
"$retort" revision -m "$msg" >out 2>err
check "revision exits 0" test $? -eq 0
new=$(generated out)
check "revision prints Generating PATH ...  done" test -n "$new"
check "file name follows Alembic's slug" \
	bash -c "[[ '$(basename "$new")' =~ ^[0-9a-f]{12}_add_things_to_the_table\.py$ ]]"
id=$(basename "$new" | cut -c1-12)
(cd "$tmp/ex-alembic" && "${alembic[@]}" revision -m "$msg" >out 2>&1)
ref=$(generated "$tmp/ex-alembic/out")
check "alembic wrote a reference file" test -f "$ref"
check "text matches alembic revision apart from id and date" \
	diff <(normalise "$new") <(normalise "$ref")
check "create date is str(datetime)" \
	grep -Eq '^Create Date: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?$' \
	"$new"
"$retort" heads >out 2>&1
# (branch labels a revision inherits print in set order in Alembic)
check "retort heads shows the new head" grep -Eq "^$id( \(.*\))? \(head\)$" out
"$retort" check >out 2>&1
check "retort check is clean" test $? -eq 0
"${alembic[@]}" heads >out 2>&1
check "alembic heads shows the new head" grep -Eq "^$id( \(.*\))? \(head\)$" out
"${alembic[@]}" history >out 2>&1
check "alembic history shows it" grep -Eq -- "-> $id( \(.*\))? \(head\), $msg" out
"${alembic[@]}" upgrade head --sql >out 2>&1
check "alembic upgrade head --sql runs it" grep -q -- "-> $id$" out
"$retort" upgrade head --sql >out 2>&1
check "retort upgrade head --sql runs it" grep -q -- "-> $id$" out

# --- refusals ---
"$retort" revision -m again --rev-id "$id" >out 2>&1
check "an existing revision id is refused" test $? -ne 0
check "... naming it" grep -q "'$id' already exists" out
"$retort" revision -m 'bad id' --rev-id 'a-b' >out 2>&1
check "an id Alembic forbids is refused" test $? -ne 0
"$retort" revision -m 'x' --head 136886b49939 >out 2>&1
check "a parent that is not a head is refused" grep -q "is not a head revision" out

# --- new base with a label, label@head, depends-on ---
"$retort" revision -m 'second root' --head base --branch-label side --rev-id side0001 >out 2>&1
check "revision --head base --branch-label" test $? -eq 0
f=$(generated out)
check "... writes down_revision = None" grep -qx "down_revision = None" "$f"
check "... writes branch_labels as a tuple" grep -qx "branch_labels = ('side',)" "$f"
check "... writes an empty Revises: line" grep -qx "Revises: " "$f"
"$retort" revision -m 'on side' --head side@head --depends-on 136886 --rev-id side0002 \
	>out 2>&1
f=$(generated out)
check "revision --head label@head" grep -qx "down_revision = 'side0001'" "$f"
check "--depends-on is written as the full id" grep -qx "depends_on = '136886b49939'" "$f"
"${alembic[@]}" heads >out 2>&1
check "alembic sees both heads" grep -Eq "^$id( \(.*\))? \(head\)$" out
check "... the new branch's head too" grep -qx 'side0002 (side) (head)' out

# --- two heads (a fork Alembic splices in): refusal, then merge heads ---
copy migrations-example two
cd "$tmp/two"
"${alembic[@]}" revision -m fork --head 136886b49939 --splice --rev-id fork0001 >/dev/null 2>&1
id=728111a24eb7
nfiles=$(ls versions | wc -l)
"$retort" revision -m 'third' >out 2>&1
rc=$?
check "revision with two heads is refused" test $rc -ne 0
check "... naming both heads" grep -Eq "multiple heads are present: ('$id', 'fork0001'|'fork0001', '$id')" out
check "... hinting at --head and merge" grep -q -- "--head.*retort merge" out
check "... and writes nothing" test "$(ls versions | wc -l)" -eq "$nfiles"
rm -rf "$tmp/two-merge" && cp -r "$tmp/two" "$tmp/two-merge"
"$retort" merge -m 'join them' heads >out 2>&1
check "merge heads exits 0" test $? -eq 0
m=$(generated out)
mid=$(basename "$m" | cut -c1-12)
(cd "$tmp/two-merge" && "${alembic[@]}" merge -m 'join them' heads >out 2>&1)
mref=$(generated "$tmp/two-merge/out")
downs() { sed -n 's/^down_revision = //p' "$1" | tr -d "()' " | tr ',' '\n' | sort; }
check "merge down_revision set equals alembic merge's" diff <(downs "$m") <(downs "$mref")
check "merge text matches alembic merge apart from id and date" \
	diff <(normalise "$m") <(normalise "$mref")
"$retort" heads >out 2>&1
check "retort heads: one head after merge" grep -Eqx "$mid \(.*\) \(head\)" out
check "... and only one" test "$(wc -l <out)" -eq 1
"${alembic[@]}" heads >out 2>&1
check "alembic heads: one head after merge" grep -Eqx "$mid \(.*\) \(head\)" out
check "... and only one" test "$(wc -l <out)" -eq 1
"$retort" check >out 2>&1
check "retort check is clean after merge" test $? -eq 0
"$retort" merge -m 'no' fork0001 "$id" >out 2>&1
check "merge of a revision that is no longer a head is refused" grep -q "not a head" out

# --- file_template with date tokens, slug truncation, never overwrite ---
copy tests/fixtures/lab/linear ft
cd "$tmp/ft"
sed -i 's/^\[alembic\]$/[alembic]\nfile_template = %%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s\ntruncate_slug_length = 10/' \
	alembic.ini
"$retort" revision -m 'alpha beta gamma' --rev-id abc123 >out 2>&1
f=$(generated out)
check "file_template with date tokens" test "$(basename "$f")" = \
	"$(date +%Y_%m_%d)-abc123_alpha_.py"
(cd "$tmp/ft" && "${alembic[@]}" revision -m 'alpha beta gamma' --rev-id abc124 >aout 2>&1)
check "alembic names it the same way" test "$(basename "$(generated aout)")" = \
	"$(date +%Y_%m_%d)-abc124_alpha_.py"
rm -f "$(generated aout)"
sed -i 's/^file_template = .*/file_template = fixed_name/' alembic.ini
"$retort" revision -m one --rev-id abc125 >out 2>&1
check "a fixed file_template is written once" test -f versions/fixed_name.py
before=$(cat versions/fixed_name.py)
"$retort" revision -m two --rev-id abc126 >out 2>&1
check "an existing file is refused" grep -q "already exists" out
check "... and left unchanged" test "$(cat versions/fixed_name.py)" = "$before"

[ "$fails" -eq 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
