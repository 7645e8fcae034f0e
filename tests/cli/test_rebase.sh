#!/usr/bin/env bash
# retort rebase on scratch copies of tests/fixtures/seed000: seed 000's fix in one command
# (rebase the duplicate chain, delete the duplicate) leaves `check` clean with one head, and
# real Alembic 1.8.1 agrees; the file changes only in down_revision and Revises:; merges,
# bases, CRLF and standalone .sql revisions; every refusal leaves the files untouched.
# Needs no database (the fixture's alembic.ini names one, so --no-db is given).
# Usage: test_rebase.sh RETORT_BINARY
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh" "$1"
# run CMD...: stdout in out, stderr in err, status in rc
run() { "$@" >out 2>err; rc=$?; }
seed() { rm -rf "$tmp/$1"; cp -r "$top/tests/fixtures/seed000" "$tmp/$1"; cd "$tmp/$1" || exit 1; }
sums() { sha256sum versions/* | sha256sum; }
V=versions
F002=$V/002_add_rls_policies.py

# --- seed 000's fix ---
seed fix
run "$retort" check
check "check refuses the forked graph" test $rc -eq 3
check "... with two heads" grep -q "^failed: 10 revisions, 2 heads;" out
before=$(sums)
run "$retort" rebase 002_add_rls_policies --onto c9f3a8e1d4b2 --no-db --dry-run
check "--dry-run exits 0" test $rc -eq 0
check "--dry-run writes nothing" test "$(sums)" = "$before"
cat >want <<EOF
--- $F002
+++ $F002
@@ -4 +4 @@
-Revises: 001
+Revises: c9f3a8e1d4b2
@@ -14 +14 @@
-down_revision = '001_create_ux_features'
+down_revision = 'c9f3a8e1d4b2'
Would rebase 002_add_rls_policies onto c9f3a8e1d4b2 ($F002); --dry-run: nothing written
EOF
check "--dry-run prints the changed lines as a diff" diff want out
check "--dry-run warns that two heads remain" \
	grep -q "warning: after this rebase, two heads: '001_create_ux_features' and '007_add_password_hash_to_users'" err

run "$retort" rebase 002 --onto c9f3 --no-db
check "rebase by prefixes exits 0" test $rc -eq 0
check "rebase prints what it did" \
	test "$(cat out)" = "Rebased 002_add_rls_policies onto c9f3a8e1d4b2 ($F002)"
diff "$top/tests/fixtures/seed000/$F002" $F002 >d
cat >want <<'EOF'
4c4
< Revises: 001
---
> Revises: c9f3a8e1d4b2
14c14
< down_revision = '001_create_ux_features'
---
> down_revision = 'c9f3a8e1d4b2'
EOF
check "only down_revision and Revises: changed" diff want d
check "no other file changed" \
	bash -c "diff -r -x 002_add_rls_policies.py '$top/tests/fixtures/seed000/$V' $V >/dev/null"
check "no temporary file is left" test "$(ls -A $V | wc -l)" -eq 10
rm $V/001_create_ux_feature_models.py
run "$retort" check
check "check is clean after removing the duplicate" test $rc -eq 0
check "... with one head" grep -q "^ok: 9 revisions, 1 head (007_add_password_hash_to_users);" out
run "${alembic[@]}" heads
check "alembic heads: one head" test "$(cat out)" = "007_add_password_hash_to_users (head)"
run "${alembic[@]}" history
check "alembic history: 002 follows c9f3a8e1d4b2" \
	grep -q "^c9f3a8e1d4b2 -> 002_add_rls_policies, Add RLS policies$" out
check "alembic history: 9 revisions" test "$(wc -l <out)" -eq 9
run "${alembic[@]}" upgrade head --sql
check "alembic upgrade head --sql runs the one chain" \
	grep -q "^-- Running upgrade c9f3a8e1d4b2 -> 002_add_rls_policies$" out
run "$retort" upgrade head --sql
check "retort upgrade head --sql runs it too" \
	grep -q "^-- Running upgrade c9f3a8e1d4b2 -> 002_add_rls_policies$" out

# --- refusals leave every file as it was ---
seed refuse
before=$(sums)
run "$retort" rebase 002_add_rls_policies --onto 005_add_reconciliation_history --no-db
check "a descendant as parent is refused (exit 3)" test $rc -eq 3
check "... naming the cycle" grep -q "^$F002:14:17: error: cannot rebase '002_add_rls_policies' onto '005_add_reconciliation_history': '005_add_reconciliation_history' descends from '002_add_rls_policies', so the graph would have a cycle$" err
run "$retort" rebase 002_add_rls_policies --onto 002_add_rls_policies --no-db
check "REV as its own parent is refused (exit 3)" test $rc -eq 3
check "... saying so" grep -q "cannot rebase '002_add_rls_policies' onto itself" err
run "$retort" rebase 002_add_rls_policies --onto nope --no-db
check "an unknown parent is refused as a usage error (exit 2, as other commands)" test $rc -eq 2
check "... with Alembic's message" grep -q "error: Can't locate revision identified by 'nope'" err
run "$retort" rebase nope --onto c9f3a8e1d4b2 --no-db
check "an unknown REV is refused (exit 2)" test $rc -eq 2
run "$retort" rebase 002_add_rls_policies --no-db
check "a missing --onto is refused (exit 2)" test $rc -eq 2
check "... naming it" grep -q "error: missing '--onto PARENT'" err
run "$retort" rebase 002_add_rls_policies --onto base --onto c9f3a8e1d4b2 --no-db
check "base with other parents is refused (exit 2)" test $rc -eq 2
run "$retort" rebase 002_add_rls_policies --onto fb3c6b29453b --onto c9f3a8e1d4b2 --no-db
check "a parent that is an ancestor of another is refused (exit 3)" test $rc -eq 3
check "... naming both" \
	grep -q "error: parent 'fb3c6b29453b' is an ancestor of parent 'c9f3a8e1d4b2'" err
run "$retort" rebase 002_add_rls_policies --onto c9f3a8e1d4b2 -d postgresql://u:secret@127.0.0.1:1/x
check "an unreachable database is refused (exit 4)" test $rc -eq 4
check "... suggesting --no-db" grep -q "pass --no-db to rebase without checking the database" err
check "... with the password masked" bash -c "! grep -q secret err"
run "$retort" rebase 002_add_rls_policies --onto 001_create_ux_features --no-db
check "the current parent is nothing to do (exit 0)" test $rc -eq 0
check "... saying so" grep -q "is already on 001_create_ux_features ($F002); nothing to do" out
check "no refusal changed a file" test "$(sums)" = "$before"

# --- JSON ---
run "$retort" --format json rebase 002 --onto c9f3 --no-db
check "JSON: a rebased event and a heads warning" /usr/bin/python3 -c '
import json, sys
ev = [json.loads(l) for l in open("out")]
r = [e for e in ev if e["event"] == "rebased"][0]
assert r["id"] == "002_add_rls_policies" and r["parents"] == ["c9f3a8e1d4b2"], r
assert r["old_parents"] == ["001_create_ux_features"] and r["dry_run"] is False, r
assert r["path"] == sys.argv[1], r
assert sorted(r["heads"]) == ["001_create_ux_features", "007_add_password_hash_to_users"], r
w = [e for e in ev if e["event"] == "diagnostic"]
assert len(w) == 1 and w[0]["severity"] == "warning" and w[0]["kind"] == "multiple-heads", w
' "$F002"
run "$retort" --format json rebase 002 --onto nope --no-db
check "JSON: a refusal is an error event with exit_code 2" /usr/bin/python3 -c '
import json
e = json.loads(open("out").read())
assert e["event"] == "error" and e["exit_code"] == 2, e'

# --- a merge, and a new base: Alembic reads what retort wrote ---
seed merge
run "$retort" rebase 002_add_rls_policies --onto c9f3a8e1d4b2 --onto 001_create_ux_features --no-db
check "rebase onto two parents exits 0" test $rc -eq 0
check "... writes a tuple" grep -qx "down_revision = ('c9f3a8e1d4b2', '001_create_ux_features')" $F002
check "... and Revises: a, b" grep -qx "Revises: c9f3a8e1d4b2, 001_create_ux_features" $F002
run "$retort" check
check "the merge leaves check clean" test $rc -eq 0
run "${alembic[@]}" heads
check "alembic heads: one head after the merge" \
	test "$(cat out)" = "007_add_password_hash_to_users (head)"
run "${alembic[@]}" history
check "alembic history shows the merge point" \
	grep -q "^c9f3a8e1d4b2, 001_create_ux_features -> 002_add_rls_policies (mergepoint), Add RLS policies$" out
run "$retort" rebase 002_add_rls_policies --onto c9f3a8e1d4b2 --no-db
check "a merge back to one parent" grep -qx "down_revision = 'c9f3a8e1d4b2'" $F002
run "$retort" rebase b81dde19348f --onto base --no-db
check "rebase onto base exits 0" test $rc -eq 0
check "... writes None" grep -qx "down_revision = None" $V/b81dde19348f_add_ping_model.py
check "... and an empty Revises:" grep -qx "Revises: " $V/b81dde19348f_add_ping_model.py
check "... warns about two bases" grep -q "warning: after this rebase, two bases:" err
run "${alembic[@]}" heads
check "alembic reads the new base" test $rc -eq 0

# --- CRLF files stay CRLF ---
seed crlf
sed -i 's/$/\r/' $F002
run "$retort" rebase 002_add_rls_policies --onto c9f3a8e1d4b2 --no-db
check "rebase of a CRLF file exits 0" test $rc -eq 0
check "every line still ends in CRLF" \
	test "$(grep -c $'\r$' $F002)" -eq "$(wc -l <$F002)"
check "the CRLF file has the new parent" grep -qx $'down_revision = \'c9f3a8e1d4b2\'\r' $F002
run "${alembic[@]}" history
check "alembic reads the CRLF file" grep -q "^c9f3a8e1d4b2 -> 002_add_rls_policies, " out

# --- a standalone .sql revision: its header line is rewritten ---
seed sql
printf -- '-- revision: 008_std\n-- down_revision: 007_add_password_hash_to_users\n-- message: std\n\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\nSELECT 2;\n' >$V/008_std.sql
run "$retort" rebase 008_std --onto c9f3a8e1d4b2 --no-db
check "rebase of a standalone .sql revision exits 0" test $rc -eq 0
check "... rewrites its header line" \
	test "$(sed -n 2p $V/008_std.sql)" = "-- down_revision: c9f3a8e1d4b2"
check "... and nothing else" \
	test "$(sed 2d $V/008_std.sql | sha256sum)" = "$(printf -- '-- revision: 008_std\n-- message: std\n\n-- retort:upgrade\nSELECT 1;\n-- retort:downgrade\nSELECT 2;\n' | sha256sum)"

echo "$fails failed"
[ "$fails" -eq 0 ]
