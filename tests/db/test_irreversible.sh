#!/usr/bin/env bash
# Irreversible downgrades (a downgrade() that only raises): a downgrade across one exits 3
# before any step runs, quoting the raise's message at its file:line:col, and changes
# nothing; a downgrade that stops short of it runs. Fixture: tests/fixtures/irreversible.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

A=1a0000000001 C=3c0000000003 D=4d0000000004
FC=versions/3c0000000003_merge_a.py

begin "downgrade base across an irreversible step changes nothing"
project irreversible ../../fixtures/irreversible
fresh_db irreversible
expect 0 retort upgrade
check_eq "$(rows)" $D "at head"
expect 3 retort downgrade base
check_grep "$ERR" "^$FC:23:5: error: downgrade of '$C' is irreversible: RuntimeError: rows deleted by $C cannot be restored$" \
	"names the raise and quotes its message"
check_grep "$ERR" "hint: stamp past it" "the hint says what to do"
check_nogrep "$OUT" "^Running" "no step ran"
check_eq "$(rows)" $D "version row unchanged"
check_eq "$(relation ix_t_a)" t "the head step's index is still there"
check_eq "$(q "SELECT count(*) FROM retort_history WHERE direction = 'downgrade'")" 0 \
	"no downgrade recorded"
expect 3 retort --format json downgrade $A
check_json "$OUT" 'one("error")["exit_code"] == 3 and one("error")["file"] == "'$FC'"
	and one("error")["line"] == 23 and "is irreversible" in one("error")["message"]' \
	"the same as JSON"
check_eq "$(rows)" $D "still unchanged"

begin "a downgrade short of the irreversible step runs"
expect 0 retort downgrade -1
check_eq "$(rows)" $C "one step down"
check_eq "$(relation ix_t_a)" f "the index is dropped"
expect 3 retort downgrade -1
check_grep "$ERR" "downgrade of '$C' is irreversible" "the next step down is refused"
check_eq "$(rows)" $C "and changes nothing"

finish
