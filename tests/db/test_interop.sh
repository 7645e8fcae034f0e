#!/usr/bin/env bash
# Handing databases between retort and real Alembic (1.8, psycopg2, one transaction per
# migration): each reads the other's version table, neither re-runs a step, the schemas
# they build are identical, and revisions Alembic applied show up as "no checksum yet".
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=11aa00000001 B=22bb00000002 C=33cc00000003 D=44dd00000004

# alembic_ok ARGS...: Alembic succeeds and reports no failure.
alembic_ok() {
	expect 0 alembic "$@"
	check_nogrep "$ERR" "FAILED|Traceback|Error" "alembic $* reports no error"
}
# alembic_current: Alembic's view of the version table, sorted, one line.
alembic_current() {
	alembic current 2>/dev/null | grep -v '^INFO' | sort | tr '\n' ' ' | sed 's/ $//'
}

begin "linear: retort upgrades, Alembic agrees and has nothing to do"
project linear linear
fresh_db retort_linear
expect 0 retort upgrade
check_eq "$(alembic_current)" "$D (head)" "alembic current after retort upgrade"
before=$(q "SELECT count(*) FROM retort_history")/$(q "SELECT count(*) FROM accounts")
alembic_ok upgrade head
check_nogrep "$ERR" "Running upgrade" "alembic upgrade head runs nothing"
check_eq "$(rows)" $D "rows unchanged by Alembic"
check_eq "$(q "SELECT count(*) FROM retort_history")/$(q "SELECT count(*) FROM accounts")" \
	"$before" "no new rows anywhere"
schema_dump "$WORK/retort.sql" -T retort_history -T retort_history_id_seq
schema_dump "$WORK/retort_vt.sql" -t alembic_version

begin "linear: Alembic upgrades, the schemas are identical"
fresh_db alembic_linear
alembic_ok upgrade head
check_eq "$(rows)" $D "Alembic at head"
schema_dump "$WORK/alembic.sql"
schema_dump "$WORK/alembic_vt.sql" -t alembic_version
if cmp -s "$WORK/retort_vt.sql" "$WORK/alembic_vt.sql"; then pass; else
	fail "alembic_version differs: $(diff "$WORK/retort_vt.sql" "$WORK/alembic_vt.sql")"; fi
check_grep "$WORK/alembic_vt.sql" "version_num character varying\(32\) NOT NULL" \
	"the dumped version table is really there"
if cmp -s "$WORK/retort.sql" "$WORK/alembic.sql"; then pass; else
	fail "schemas differ: $(diff "$WORK/retort.sql" "$WORK/alembic.sql")"; fi
check_grep "$WORK/retort.sql" "CREATE VIEW public.order_totals" "the compared dump holds the schema"

begin "linear: revisions Alembic applied have no checksum until repair"
expect 0 retort verify
check_grep "$OUT" "^applied: 4 revisions, 0 with a recorded checksum$" "verify counts them"
check_grep "$OUT" "^no checksum yet: $A, $B, $C, $D \(no history table" "verify names them"
expect 0 retort --format json verify
check_json "$OUT" 'ev[0]["no_checksum"] == ["'$A'", "'$B'", "'$C'", "'$D'"]
	and ev[0]["history_table"] is False and ev[0]["ok"] is True' "verify JSON, no checksum"
expect 0 retort upgrade
check_eq "$(cat "$OUT")" "Nothing to do; at $D" "retort finds nothing to do after Alembic"
expect 0 retort repair
check_eq "$(grep -c '^recorded [0-9a-f]\{64\} for ' "$OUT")" 4 "repair records four checksums"
check_eq "$(q "SELECT count(*) FROM retort_history WHERE direction = 'repair'")" 4 "repair rows"
expect 0 retort verify
check_grep "$OUT" "^applied: 4 revisions, 4 with a recorded checksum$" "verify after repair"
check_nogrep "$OUT" "no checksum" "nothing unrecorded after repair"

begin "linear: Alembic goes part way, retort finishes"
fresh_db partway
alembic_ok upgrade $B
check_eq "$(rows)" $B "Alembic stopped at $B"
expect 0 retort upgrade
check_grep "$OUT" "^Running upgrade $B -> $C," "retort starts where Alembic stopped"
check_grep "$OUT" "^Done: 2 steps" "retort runs only the two pending steps"
check_eq "$(rows)$(q 'SELECT count(*) FROM accounts')" "${D}1" "retort finished, seed row once"
check_eq "$(alembic_current)" "$D (head)" "Alembic agrees"

begin "linear: retort downgrades, Alembic agrees and goes on"
expect 0 retort downgrade $B
check_eq "$(alembic_current)" "$B" "alembic current after retort downgrade"
alembic_ok downgrade $A
check_eq "$(rows)$(relation orders)" "${A}f" "Alembic downgrades from where retort left"
expect 0 retort current
check_eq "$(cat "$OUT")" "$A" "retort sees Alembic's downgrade"
expect 0 retort upgrade
check_eq "$(rows)" $D "retort upgrades again"
alembic_ok downgrade base
check_eq "$(rows)$(relation accounts)" "f" "Alembic downgrades everything retort applied"

begin "branches: alternating retort and Alembic across a branch and a merge"
project branches branches
fresh_db branches
expect 0 retort upgrade b2feat000002
check_eq "$(alembic_current)" "b2feat000002" "Alembic sees one branch"
alembic_ok upgrade c1feat000001
check_eq "$(rows)" "b2feat000002 c1feat000001" "Alembic adds the other branch"
expect 0 retort current
check_eq "$(sort "$OUT" | tr '\n' ' ')" "b2feat000002 c1feat000001 " "retort sees both rows"
expect 0 retort upgrade head
check_grep "$OUT" "^Done: 1 step" "retort runs only the merge"
check_eq "$(alembic_current)" "m0merge00001 (head) (mergepoint)" "Alembic agrees on the merge"
alembic_ok upgrade head
check_nogrep "$ERR" "Running upgrade" "Alembic has nothing to do after the merge"
alembic_ok downgrade c1feat000001
check_eq "$(rows)" "b2feat000002 c1feat000001" "Alembic unmerges"
expect 0 retort downgrade b0base000001
check_eq "$(rows)$(relation b1_t)$(relation c1_t)" "b0base000001ff" "retort undoes both branches"
check_eq "$(alembic_current)" "b0base000001 (branchpoint)" "Alembic agrees after the downgrade"
check_eq "$(retort current | sort | tr '\n' ' ' | sed 's/ $//')" "$(alembic_current)" \
	"retort current prints what Alembic prints"
expect 0 retort upgrade head
schema_dump "$WORK/retort_br.sql" -T retort_history -T retort_history_id_seq
fresh_db branches_alembic
alembic_ok upgrade head
schema_dump "$WORK/alembic_br.sql"
if cmp -s "$WORK/retort_br.sql" "$WORK/alembic_br.sql"; then pass; else
	fail "branch schemas differ: $(diff "$WORK/retort_br.sql" "$WORK/alembic_br.sql")"; fi
check_eq "$(rows)" m0merge00001 "Alembic at the merge"

begin "stamp: rows written by one are read by the other"
fresh_db stamps
expect 0 retort stamp c1feat000001 b2feat000002
check_eq "$(alembic_current)" "b2feat000002 c1feat000001" "Alembic reads retort's stamp"
alembic_ok stamp b0base000001
expect 0 retort current
check_eq "$(cat "$OUT")" "b0base000001 (branchpoint)" "retort reads Alembic's stamp"

if [ -d "$FIX/../../../migrations-example" ] && (cd "$FIX/../../../migrations-example" &&
	retort check 2>&1 | grep -Eq "; ([0-9]+) of \1 upgrades runnable;"); then
	begin "migrations-example: retort and Alembic build the same schema"
	project example ../../../migrations-example
	fresh_db example_retort
	expect 0 retort upgrade
	schema_dump "$WORK/ex_retort.sql" -T retort_history -T retort_history_id_seq
	fresh_db example_alembic
	alembic_ok upgrade head
	schema_dump "$WORK/ex_alembic.sql"
	if cmp -s "$WORK/ex_retort.sql" "$WORK/ex_alembic.sql"; then pass; else
		fail "example schemas differ: $(diff "$WORK/ex_retort.sql" "$WORK/ex_alembic.sql")"; fi
fi
finish
