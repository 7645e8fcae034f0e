#!/usr/bin/env bash
# Deploy bundles against a real PostgreSQL: a database upgraded from a bundle (in a folder
# with no version files) ends as one upgraded from the files (version table, history
# checksums, pg_dump --schema-only); verify crosses between the two; the offline scripts
# are the same; Alembic takes the bundle-applied database over; the bundle's settings
# travel with it; a changed byte, an unlisted signer and an unsigned bundle under --trust
# each exit 9 before connecting and leave the database untouched.
# Fixture: tests/fixtures/bundle.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=a1b2c3d4e5f6 B=b2c3d4e5f6a1 C=c3d4e5f6a1b2
PROJ=$WORK/proj DEPLOY=$WORK/deploy
sums() { q "SELECT string_agg(revision || ' ' || direction || ' ' || checksum, ', ' ORDER BY revision, direction) FROM retort_history"; }
# flip FILE OFFSET: a copy of FILE with one bit changed, printed as its path
flip() {
	local out=$WORK/flipped.rtb
	cp "$1" "$out"
	printf "$(printf '\\%03o' $(( $(od -An -tu1 -j "$2" -N1 "$1") ^ 1 )))" |
		dd of="$out" bs=1 seek="$2" conv=notrunc status=none
	echo "$out"
}

begin "the bundle: checked as check does, deterministic, signed"
project proj ../../fixtures/bundle
rm -rf deploy
expect 0 retort keygen "$WORK/ci.key"
expect 0 retort keygen "$WORK/other.key"
expect 0 retort bundle -o "$WORK/signed.rtb" --sign "$WORK/ci.key"
check_grep "$OUT" "^ok: 3 revisions" "check's summary first"
check_grep "$OUT" "^wrote .*signed.rtb: 3 revisions, [0-9]+ bytes; bodies: 3 translated, 2 sidecar, 0 rendered by Alembic, 1 refused; signed by " "what was written"
expect 0 retort bundle -o "$WORK/again.rtb" --sign "$WORK/ci.key"
if cmp -s "$WORK/signed.rtb" "$WORK/again.rtb"; then pass; else fail "two builds differ"; fi
expect 0 retort bundle -o "$WORK/unsigned.rtb"
expect 0 retort bundle -o "$WORK/by-other.rtb" --sign "$WORK/other.key"
check_eq "$(find "$WORK" -maxdepth 1 -name '.*.rtb.*' | wc -l)" 0 "no temporary file left"
mkdir -p "$DEPLOY"
cp "$WORK/signed.rtb" "$WORK/ci.key.pub" "$DEPLOY/"

begin "upgraded from the files and from the bundle: the same database"
fresh_db files
expect 0 retort upgrade
FILES_URL=$RETORT_DATABASE_URL
files_rows=$(rows) files_sums=$(sums)
schema_dump "$WORK/files.sql"
cd "$DEPLOY" || exit 1
fresh_db bundle
expect 0 retort --bundle signed.rtb --trust ci.key.pub upgrade head
check_grep "$OUT" "Running upgrade $A -> $B, index pets by name" "the steps ran"
check_nogrep "$ERR" "notice" "a trusted signed bundle runs without a notice"
check_eq "$(rows)" "$files_rows" "version table"
check_eq "$(sums)" "$files_sums" "history checksums"
schema_dump "$WORK/bundle.sql"
if diff -u "$WORK/files.sql" "$WORK/bundle.sql" >"$WORK/.diff"; then pass; else
	fail "pg_dump differs: $(head -20 "$WORK/.diff")"; fi
expect 0 retort --bundle signed.rtb --trust ci.key.pub upgrade head
check_grep "$OUT" "Nothing to do; at $C" "a second run has nothing to do"
BUNDLE_URL=$RETORT_DATABASE_URL

begin "verify crosses: files against the bundle's database, the bundle against the files'"
cd "$PROJ" || exit 1
expect 0 retort verify
check_grep "$OUT" "applied: 3 revisions, 3 with a recorded checksum" "every checksum recorded"
check_nogrep "$OUT" "drift" "no drift"
cd "$DEPLOY" || exit 1
RETORT_DATABASE_URL=$FILES_URL expect 0 retort --bundle signed.rtb --trust ci.key.pub verify
check_nogrep "$OUT" "drift" "no drift the other way"
expect 0 retort --bundle signed.rtb --trust ci.key.pub current
check_grep "$OUT" "^$C .*\(head\)" "current from the bundle"
expect 0 retort --bundle signed.rtb --trust ci.key.pub history
check_grep "$OUT" "$B.* -> $C .*\(head\), add pets.age" "history from the bundle"

begin "offline scripts from the bundle are the files' scripts"
for range in "head" "$A:$C"; do
	(cd "$PROJ" && retort upgrade --sql "$range") >"$WORK/files.out" 2>&1
	expect 0 retort --bundle signed.rtb --trust ci.key.pub upgrade --sql "$range"
	if diff -u "$WORK/files.out" "$OUT" >"$WORK/.diff"; then pass; else
		fail "upgrade --sql $range differs: $(head -20 "$WORK/.diff")"; fi
done
(cd "$PROJ" && retort downgrade --sql "$B:base") >"$WORK/files.out" 2>&1
expect 0 retort --bundle signed.rtb --trust ci.key.pub downgrade --sql "$B:base"
if diff -u "$WORK/files.out" "$OUT" >/dev/null; then pass; else fail "downgrade --sql differs"; fi

begin "downgrade and stamp from the bundle"
expect 3 retort --bundle signed.rtb --trust ci.key.pub downgrade -1
check_grep "$ERR" "downgrade of '$C' cannot run: a loop over a function call" "the recorded refusal"
check_grep "$ERR" "^versions/c3d4e5f6a1b2_pet_age.py:25:16: " "at the place it was refused"
check_eq "$(rows)" "$C" "nothing changed"
expect 0 retort --bundle signed.rtb --trust ci.key.pub stamp "$B"
check_eq "$(rows)" "$B" "stamped"
expect 0 retort --bundle signed.rtb --trust ci.key.pub downgrade base
check_eq "$(rows)" "" "at base"
check_eq "$(relation pets)" f "pets dropped"
expect 0 retort --bundle signed.rtb --trust ci.key.pub upgrade
check_eq "$(rows)" "$C" "up again"

begin "Alembic takes over the bundle-applied database"
cd "$PROJ" || exit 1
expect 0 alembic current
cat "$OUT" "$ERR" >"$WORK/.both"
check_grep "$WORK/.both" "^$C \(head\)" "Alembic sees the head"
expect 0 alembic downgrade "$A"
check_eq "$(rows)" "$A" "Alembic downgraded (through the step retort refuses)"
check_eq "$(q "SELECT to_regclass('ix_pets_name') IS NULL")" t "the index is gone"
expect 0 alembic upgrade head
check_eq "$(rows)" "$C" "Alembic upgraded again"
cd "$DEPLOY" || exit 1
expect 0 retort --bundle signed.rtb --trust ci.key.pub verify
check_nogrep "$OUT" "drift" "no drift after Alembic ran the steps again"

begin "changed bytes, unlisted signers and unsigned bundles exit 9 before connecting"
fresh_db tamper
size=$(stat -c %s signed.rtb)
# a database that cannot be reached: exit 9, not 4, proves nothing connected
for at in 30 $((size / 2)) $((size - 100)) $((size - 1)); do
	f=$(flip signed.rtb "$at")
	expect 9 retort -d postgresql://nobody@127.0.0.1:1/none --bundle "$f" --trust ci.key.pub upgrade
	expect 9 retort --bundle "$f" upgrade
done
f=$(flip signed.rtb 2)
expect 3 retort --bundle "$f" upgrade
check_grep "$ERR" "is not a retort bundle" "a damaged magic number is malformed"
head -c $((size - 10)) signed.rtb >"$WORK/short.rtb"
expect 3 retort --bundle "$WORK/short.rtb" upgrade
expect 9 retort -d postgresql://nobody@127.0.0.1:1/none --bundle "$WORK/by-other.rtb" --trust ci.key.pub upgrade
check_grep "$ERR" "which is not trusted" "an unlisted signer"
expect 9 retort --bundle "$WORK/unsigned.rtb" --trust ci.key.pub upgrade
check_grep "$ERR" "is not signed" "unsigned under --trust"
RETORT_TRUST=ci.key.pub expect 9 retort --bundle "$WORK/unsigned.rtb" upgrade
check_eq "$(relation alembic_version)" f "the database is untouched"
expect 0 retort --bundle "$WORK/unsigned.rtb" upgrade
check_grep "$ERR" "^retort: notice: bundle .* is not signed; only its hash was checked" "unsigned without trust runs with a notice"
check_eq "$(rows)" "$C" "and applies"

begin "bundle: and trust: in retort.yaml; the bundle's settings travel with it"
cd "$PROJ" || exit 1
printf 'version_table: av\nhistory_table: hist\n' >retort.yaml
expect 0 retort bundle -o "$WORK/settings.rtb"
rm retort.yaml
cd "$DEPLOY" || exit 1
cp "$WORK/settings.rtb" .
printf 'bundle: settings.rtb\n' >retort.yaml
fresh_db settings
expect 0 retort upgrade
check_eq "$(q "SELECT version_num FROM av")" "$C" "the version table named in the bundle"
check_eq "$(q "SELECT count(*) FROM hist")" 3 "the history table named in the bundle"
check_eq "$(relation alembic_version)" f "not the default"
printf 'bundle: settings.rtb\ntrust: [ci.key.pub]\n' >retort.yaml
expect 9 retort current
rm retort.yaml

begin "--with-alembic: refused steps rendered by real Alembic, applied from the bundle alone"
# the alembicrender fixture: b2000002 and e5000005 call the application (retort refuses,
# Alembic renders); c3000003 queries the database (neither can); f6000006 sleeps forever
export RETORT_PYTHON=/usr/bin/python3
project wa ../../fixtures/alembicrender
rm versions/f6000006_slow.py
expect 3 retort bundle -o "$WORK/wa.rtb" --with-alembic
check_grep "$ERR" "upgrade of 'c3000003' cannot be bundled: retort cannot translate it .* and Alembic cannot render it offline" "a step neither can render stops the bundle, with both reasons"
if [ -e "$WORK/wa.rtb" ]; then fail "a bundle was written"; else pass; fi
rm versions/c3000003_renumber.py
expect 0 retort bundle -o "$WORK/wa.rtb" --with-alembic --sign "$WORK/ci.key"
check_grep "$OUT" "bodies: [0-9]+ translated, 0 sidecar, 4 rendered by Alembic, 0 refused" "four bodies rendered by Alembic"
expect 0 retort bundle -o "$WORK/wa2.rtb" --with-alembic --sign "$WORK/ci.key"
if cmp -s "$WORK/wa.rtb" "$WORK/wa2.rtb"; then pass; else fail "two --with-alembic builds differ"; fi
mkdir -p "$WORK/wa-deploy"
cp "$WORK/wa.rtb" "$WORK/ci.key.pub" "$WORK/wa-deploy/"
cd "$WORK/wa-deploy" || exit 1
fresh_db wa
expect 0 retort --bundle wa.rtb --trust ci.key.pub upgrade head
check_grep "$OUT" "Running upgrade b2000002, d4000004 -> e5000005.*rendered by Alembic" "the step is marked where it is shown"
check_eq "$(rows)" e5000005 "at the merge"
check_eq "$(relation items_audit)" t "the application's table, from Alembic's SQL"
check_eq "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'ix_items_name'::regclass")" t "the autocommit block's index"
expect 0 retort --bundle wa.rtb --trust ci.key.pub downgrade base
check_eq "$(rows)" "" "and down to base"
check_eq "$(relation items_audit)" f "the audit table dropped again"
unset RETORT_PYTHON

begin "a body that takes a value when the step runs is not frozen into a bundle"
project clock
mkrev 01_t.py aa01 None "CREATE TABLE t (id uuid)" "DROP TABLE t"
cat >versions/02_stamp.py <<'EOT'
import uuid
from alembic import op

revision = 'aa02'
down_revision = 'aa01'


def upgrade():
    op.execute(f"INSERT INTO t VALUES ('{uuid.uuid4()}')")
    print("stamped")


def downgrade():
    op.execute("DELETE FROM t")
EOT
expect 0 retort bundle -o "$WORK/clock.rtb"
check_grep "$OUT" "bodies: 3 translated, 0 sidecar, 0 rendered by Alembic, 1 refused" "the clock's body is refused"
expect 0 retort bundle -o "$WORK/clock2.rtb"
if cmp -s "$WORK/clock.rtb" "$WORK/clock2.rtb"; then pass; else fail "two builds differ"; fi
fresh_db clock
expect 3 retort --bundle "$WORK/clock.rtb" upgrade
check_grep "$ERR" "02_stamp.py:9:42: error: upgrade of 'aa02' cannot run: 'uuid.uuid4\(\)' is evaluated when the step runs" "says why, at the call"
check_eq "$(relation alembic_version)" f "nothing applied"

begin "a body that reads the environment takes the running process's, never the builder's"
project envread
mkrev 01_t.py ab01 None "CREATE TABLE t (v text)" "DROP TABLE t"
cat >versions/02_env.py <<'EOT'
import os
from alembic import op

revision = 'ab02'
down_revision = 'ab01'


def upgrade():
    op.execute(f"INSERT INTO t VALUES ('{os.environ.get('RETORT_TEST_SALT', 'unset')}')")


def downgrade():
    op.execute("DELETE FROM t")
EOT
RETORT_TEST_SALT=builder-s3cret expect 0 retort bundle -o "$WORK/env.rtb"
check_grep "$OUT" "bodies: 3 translated, 0 sidecar, 0 rendered by Alembic, 1 refused" "the body is refused"
if grep -q builder-s3cret "$WORK/env.rtb"; then fail "the builder's environment is in the bundle"; else pass; fi
fresh_db envread
RETORT_TEST_SALT=deploy expect 3 retort --bundle "$WORK/env.rtb" upgrade
check_grep "$ERR" "02_env.py:9:42: error: upgrade of 'ab02' cannot run: 'os.environ.get\\(\\)' reads the environment of the process that runs the step" "says why, at the call"
check_grep "$ERR" "assume: \\{os.environ.get: <value>\\}" "and how to give the value instead"
check_eq "$(relation alembic_version)" f "nothing applied"
RETORT_TEST_SALT=deploy expect 0 retort upgrade
check_eq "$(q 'SELECT v FROM t')" deploy "from the files, the environment of the run"

finish
