#!/usr/bin/env bash
# Fleets: upgrade, current and verify on many databases (--targets FILE with comments and
# ${VAR}, `targets:` in retort.yaml, --targets-query) and on the schemas of one database
# (--schemas LIST|SQL), with -j, --canary and --continue-on-error. A target that fails
# midway leaves every other one consistent; the exit code is the worst one; the summary
# lists the failed targets' lines; JSON events carry the masked target.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

HEAD=728111a24eb7 # migrations-example's head
R1=aaaa00000001 R2=bbbb00000002 R3=cccc00000003
base_url="postgresql://postgres@127.0.0.1:$PGPORT"
dbname() { echo "${RETORT_TEST_DB}_$1"; }
mkdb() { "$PGBIN/createdb" -h "$PGHOST" -p "$PGPORT" -U postgres "$(dbname "$1")" || exit 1; }
# qd NAME SQL: psql on the fleet database NAME.
qd() { "$PGBIN/psql" -X -Atq -v ON_ERROR_STOP=1 -d "$base_url/$(dbname "$1")" -c "$2"; }
vrows() { qd "$1" "SELECT coalesce(string_agg(version_num, ' ' ORDER BY 1), '') FROM ${2:-}alembic_version"; }

example() {
	rm -rf "${WORK:?}/example"
	cp -r "$(dirname "$FIX")/../../migrations-example" "$WORK/example"
	cd "$WORK/example" || exit 1
}

begin "12 databases from a targets file with comments and \${VAR}: all upgraded, -j 4"
for i in $(seq 1 12); do mkdb "d$i"; done
export FLEET_D5="$base_url/$(dbname d5)"
{
	echo "# the tenants"
	for i in $(seq 1 12); do
		case $i in
		3) echo "postgresql://postgres:s3cret@127.0.0.1:$PGPORT/$(dbname d3)   # a password" ;;
		5) echo "  \${FLEET_D5}" ;;
		*) echo "$base_url/$(dbname "d$i")" ;;
		esac
		[ "$i" = 6 ] && echo ""
	done
} >"$WORK/targets.txt"
example
expect 0 retort upgrade --targets "$WORK/targets.txt" -j 4
ok=0
for i in $(seq 1 12); do [ "$(vrows "d$i")" = $HEAD ] && ok=$((ok + 1)); done
check_eq "$ok" 12 "every database is at head"
check_eq "$(grep -c " base -> $HEAD .* 15 .* ok$" "$OUT")" 12 "the table: one line per target, from -> to, steps, ok"
check_grep "$OUT" "^TARGET +FROM -> TO +STEPS +TIME +RESULT" "the table's header"
check_grep "$OUT" "^12 targets: 12 ok, 0 failed, 0 not run$" "the totals"
check_nogrep "$OUT" "s3cret" "no password in the table"
check_grep "$OUT" "postgres:\*\*\*@127.0.0.1:$PGPORT/$(dbname d3) " "the password is masked"

begin "current and verify: one line per target"
expect 0 retort current --targets "$WORK/targets.txt"
check_eq "$(grep -c " $HEAD  *ok$" "$OUT")" 12 "current: one line per target with its revision"
expect 0 retort verify --targets "$WORK/targets.txt" -j 2
check_eq "$(grep -c " $HEAD  *ok$" "$OUT")" 12 "verify: one line per target"
qd d7 "UPDATE alembic_version SET version_num = 'feedfeedfeed'"
expect 7 retort verify --targets "$WORK/targets.txt"
check_grep "$OUT" "$(dbname d7) +feedfeedfeed +drift \(exit 7\)$" "verify names the drifted target"
check_grep "$ERR" "^$base_url/$(dbname d7): .*feedfeedfeed" "its error is prefixed with the target"
qd d7 "UPDATE alembic_version SET version_num = '$HEAD'"

begin "JSON: every event carries the target, masked; one summary"
expect 0 retort --format json current --targets "$WORK/targets.txt" -j 3
check_json "$OUT" "all('target' in e for e in ev if e['event'] != 'fleet_summary')
	and len([e for e in ev if e['event'] == 'target_done']) == 12
	and one('fleet_summary')['exit_code'] == 0 and one('fleet_summary')['ok'] == 12
	and any(e['target'].startswith('postgresql://postgres:***@') for e in ev if 'target' in e)" \
	"JSON events with a target key"
check_nogrep "$OUT" "s3cret" "no password in JSON"

begin "an unset \${VAR} in the targets file: exit 2 naming file:line"
unset FLEET_D5
expect 2 retort upgrade --targets "$WORK/targets.txt"
check_grep "$ERR" "targets.txt:6:3: error: this target uses environment variable 'FLEET_D5', which is not set" \
	"file:line:col and the variable"

# A project whose second step fails on a database that already holds a bad row.
failing_project() {
	project "$1"
	mkrev ${R1}_a.py $R1 None "CREATE TABLE IF NOT EXISTS t (x int)" "DROP TABLE t"
	mkrev ${R2}_b.py $R2 "'$R1'" "ALTER TABLE t ADD CONSTRAINT t_x_positive CHECK (x > 0)" \
		"ALTER TABLE t DROP CONSTRAINT t_x_positive"
	mkrev ${R3}_c.py $R3 "'$R2'" "CREATE TABLE u (y int)" "DROP TABLE u"
}
# fail_fleet PREFIX N BAD: N fresh databases, BAD holding a row that breaks R2; a targets file.
fail_fleet() {
	: >"$WORK/$1.txt"
	for i in $(seq 1 "$2"); do
		mkdb "$1$i"
		echo "$base_url/$(dbname "$1$i")" >>"$WORK/$1.txt"
	done
	qd "$1$3" "CREATE TABLE t (x int); INSERT INTO t VALUES (-1)"
}

begin "a target failing midway, --continue-on-error: every other target at head, exit 6"
failing_project failmid
fail_fleet f 6 4
expect 6 retort upgrade --targets "$WORK/f.txt" --continue-on-error -j 3
good=0
for i in 1 2 3 5 6; do [ "$(vrows "f$i")" = $R3 ] && good=$((good + 1)); done
check_eq "$good" 5 "the other five are at head"
check_eq "$(vrows f4)|$(qd f4 "SELECT to_regclass('u') IS NULL")|$(qd f4 "SELECT count(*) FROM retort_history")" \
	"$R1|t|1" "the failed one kept its first step; the second rolled back; nothing after it"
check_grep "$OUT" "^$base_url/$(dbname f4) +base -> $R1 +1 .* failed \(exit 6\)$" \
	"the table lists it as failed, with how far it got"
check_grep "$OUT" "^6 targets: 5 ok, 1 failed, 0 not run; exit 6$" "the totals"
check_eq "$(sed -n '/^Failed targets/,$p' "$OUT" | tail -n +2)" "$base_url/$(dbname f4)" \
	"the summary prints the failed target's line"
check_grep "$ERR" "^$base_url/$(dbname f4): .*t_x_positive" "its error is shown, prefixed"
sed -n '/^Failed targets/,$p' "$OUT" | tail -n +2 >"$WORK/failed.txt"
qd f4 "DELETE FROM t"
expect 0 retort upgrade --targets "$WORK/failed.txt"
check_eq "$(vrows f4)" $R3 "re-running the failed lines finishes the last one"

begin "without --continue-on-error the first failure stops new targets"
fail_fleet g 5 2
expect 6 retort upgrade --targets "$WORK/g.txt" -j 1
check_eq "$(vrows g1)|$(vrows g2)|$(vrows g3)|$(vrows g5)" "$R3|$R1||" \
	"the first ran, the second failed, the rest never started"
check_grep "$OUT" "^5 targets: 1 ok, 1 failed, 3 not run; exit 6$" "the totals"
check_grep "$OUT" "^$base_url/$(dbname g3) +- +- +- +not run$" "not-run targets are in the table"
check_grep "$OUT" "^Not run, the rollout stopped early" "and listed for a re-run"

begin "--canary: a failing canary stops everything, even with --continue-on-error"
fail_fleet c 6 2
expect 6 retort upgrade --targets "$WORK/c.txt" --canary 2 -j 4 --continue-on-error
check_eq "$(vrows c1)|$(vrows c2)|$(vrows c3)|$(vrows c6)" "$R3|$R1||" \
	"the canaries ran one by one; nothing after the failed one"
check_grep "$OUT" "^6 targets: 1 ok, 1 failed, 4 not run; exit 6$" "the totals"
begin "--canary that passes: the rest follow"
qd c2 "DELETE FROM t"
expect 0 retort upgrade --targets "$WORK/c.txt" --canary 1 -j 4
all=0
for i in $(seq 1 6); do [ "$(vrows "c$i")" = $R3 ] && all=$((all + 1)); done
check_eq "$all" 6 "every target at head"

begin "SIGTERM reaches every running target: each rolls back and unlocks; exit 143"
project slow
mkrev ${R1}_slow.py $R1 None "CREATE TABLE slowt (id int); SELECT pg_sleep(5)" "DROP TABLE slowt"
: >"$WORK/s.txt"
for i in 1 2 3; do
	mkdb "s$i"
	echo "$base_url/$(dbname "s$i")" >>"$WORK/s.txt"
done
"$RETORT_BIN" upgrade --targets "$WORK/s.txt" -j 2 >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
backend_pid '%pg_sleep(5)%' >/dev/null || fail "no target reached its slow step"
sleep 0.5
kill -TERM $bg
wait $bg
check_eq "$?" 143 "the fleet exits 143"
check_eq "$(qd s1 "SELECT to_regclass('slowt') IS NULL")$(qd s2 "SELECT to_regclass('slowt') IS NULL")$(vrows s3)" \
	"tt" "both running targets rolled back; the third never started"
check_eq "$(advisory_locks)" 0 "no lock left behind"
check_grep "$WORK/bg.out" "/$(dbname s1) .* interrupted \(exit 143\)$" "the table says interrupted"
check_grep "$WORK/bg.out" "/$(dbname s3) .* not run$" "and what never ran"

begin "the worst exit code wins"
failing_project worst
fail_fleet w 2 1
echo "postgresql://postgres@127.0.0.1:1/nowhere" >>"$WORK/w.txt"
expect 6 retort upgrade --targets "$WORK/w.txt" --continue-on-error
check_grep "$OUT" "nowhere +.* failed \(exit 4\)$" "the unreachable target exits 4"
check_grep "$OUT" "; exit 6$" "the fleet exits 6, the worst"

begin "--schemas with 20 schemas of one database: each its own version and history table"
fresh_db schemas
for i in $(seq -w 1 20); do q "CREATE SCHEMA tenant_$i"; done
example
expect 0 retort upgrade --schemas "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\_%' ORDER BY 1" -j 4
check_eq "$(q "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version'")" 20 \
	"a version table per schema"
check_eq "$(q "SELECT count(DISTINCT schemaname) FROM pg_tables WHERE tablename = 'users'")" 20 \
	"the migrations ran in each schema (search_path)"
check_eq "$(q "SELECT count(*) FROM tenant_07.retort_history")" 15 "the history in the schema"
check_eq "$(relation public.alembic_version)$(relation public.users)" ff "nothing in public"
check_eq "$(grep -c "^tenant_[0-9]* .* ok$" "$OUT")" 20 "one table line per schema"
expect 0 retort current --schemas tenant_01,tenant_02,public
check_grep "$OUT" "^tenant_02 +$HEAD +ok$" "current per schema"
check_grep "$OUT" "^public +base +ok$" "an untouched schema is at base"
expect 0 retort --format json verify --schemas tenant_03
check_json "$OUT" "one('verify')['target'] == 'tenant_03' and one('verify')['ok']" \
	"verify per schema, target = the schema"

begin "--schemas: each schema has its own lock"
q "CREATE SCHEMA tenant_21; CREATE SCHEMA tenant_22"
lock_key="('x' || substr(md5('retort:' || current_database() || ':tenant_21:alembic_version'),
            1, 16))::bit(64)::bigint"
q "SELECT pg_advisory_lock($lock_key), pg_sleep(4)" >/dev/null &
holder=$!
sleep 1
expect 5 retort upgrade --schemas tenant_21,tenant_22 -j 2 --lock-timeout 1 --continue-on-error
wait $holder
check_grep "$OUT" "^tenant_21 .*failed \(exit 5\)$" "the held schema's lock timed out"
check_grep "$OUT" "^tenant_22 +base -> $HEAD .* ok$" "the other schema went ahead"

begin "schemas: in retort.yaml, a list or a query"
q "CREATE SCHEMA tenant_31; CREATE SCHEMA tenant_32; CREATE SCHEMA tenant_33"
printf 'script_location: .\nschemas: [tenant_31, tenant_32]\n' >"$WORK/example/retort.yaml"
expect 0 retort upgrade
check_grep "$OUT" "^2 targets: 2 ok" "a fleet run over the listed schemas"
check_eq "$(q "SELECT count(*) FROM tenant_31.alembic_version")$(relation tenant_33.alembic_version)" 1f \
	"the listed schemas only"
printf 'script_location: .\nschemas: SELECT nspname FROM pg_namespace WHERE nspname = '"'"'tenant_33'"'"'\n' \
	>"$WORK/example/retort.yaml"
expect 0 retort current
check_grep "$OUT" "^tenant_33 +base +ok$" "a query gives the schemas"
printf 'script_location: .\nschemas: [tenant_31]\ntargets: [postgresql://h/x]\n' >"$WORK/example/retort.yaml"
expect 2 retort upgrade
check_grep "$ERR" "retort.yaml gives both 'targets:' and 'schemas:'" "one source at a time in the yaml too"
printf 'script_location: .\nschemas: ["a,b"]\n' >"$WORK/example/retort.yaml"
expect 2 retort upgrade
check_grep "$ERR" "'schemas' entry 'a,b' holds a comma" "a name with a comma is refused"
rm "$WORK/example/retort.yaml"

begin "targets: in retort.yaml, and --targets-query"
mkdb y1
mkdb y2
cat >"$WORK/example/retort.yaml" <<EOT
script_location: .
targets:
  - $base_url/$(dbname y1)
  - \${FLEET_Y2:-$base_url/$(dbname y2)}
EOT
expect 0 retort upgrade
check_eq "$(vrows y1)|$(vrows y2)" "$HEAD|$HEAD" "both targets from retort.yaml"
check_grep "$OUT" "^2 targets: 2 ok" "a fleet run"
mkdb z1
mkdb z2
q "CREATE TABLE tenants (url text); INSERT INTO tenants VALUES
   ('$base_url/$(dbname z1)'), ('$base_url/$(dbname z2)')"
rm "$WORK/example/retort.yaml"
expect 0 retort upgrade --targets-query "SELECT url FROM tenants"
check_eq "$(vrows z1)|$(vrows z2)" "$HEAD|$HEAD" "both targets from the query"
expect 2 retort upgrade --targets "$WORK/f.txt" --schemas a
check_grep "$ERR" "give one of --targets, --targets-query and --schemas" "one source at a time"

finish
