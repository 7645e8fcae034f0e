#!/usr/bin/env bash
# HA: two real PostgreSQL servers with streaming replication (scripts/pg-harness start,
# then standby: pg_basebackup -R). A URL naming both hosts with
# target_session_attrs=read-write works end to end; one whose every host is a standby exits
# 4 saying so; a failover during a long upgrade (the primary stopped in immediate mode,
# the standby promoted) ends on the new primary with --wait, each step applied once.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

H=$RETORT_PG_HARNESS
trap '"$H" stop "$WORK/pa" >/dev/null 2>&1; "$H" stop "$WORK/pb" >/dev/null 2>&1' EXIT
"$H" start "$WORK/pa" >/dev/null || { fail "the primary did not start"; finish; }
PA=$(. "$WORK/pa/env" && echo "$PGPORT")
"$PGBIN/createdb" -h 127.0.0.1 -p "$PA" -U postgres ha || { fail "createdb"; finish; }
"$H" standby "$WORK/pb" "$WORK/pa" >/dev/null || { fail "the standby did not start"; finish; }
PB=$(. "$WORK/pb/env" && echo "$PGPORT")
SOCKB=$(. "$WORK/pb/env" && echo "$PGHOST")
BOTH="postgresql://postgres@127.0.0.1:$PA,127.0.0.1:$PB/ha?target_session_attrs=read-write"
on() { "$PGBIN/psql" -X -Atq -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d ha -c "$2"; }
# caught_up: the standby has replayed everything the primary wrote (10 s at most).
caught_up() {
	for _ in $(seq 100); do
		[ "$(on "$PA" "SELECT count(*) FROM pg_stat_replication
		              WHERE replay_lsn = pg_current_wal_lsn()")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

S1=aaaa00000001 S2=bbbb00000002 S3=cccc00000003 S4=dddd00000004
project ha
mkrev ${S1}_a.py $S1 None "CREATE TABLE t_a (id int)" "DROP TABLE t_a"
mkrev ${S2}_b.py $S2 "'$S1'" "CREATE TABLE t_b (id int)" "DROP TABLE t_b"
mkrev ${S3}_slow.py $S3 "'$S2'" "CREATE TABLE t_slow (id int); SELECT pg_sleep(4)" "DROP TABLE t_slow"
mkrev ${S4}_d.py $S4 "'$S3'" "CREATE TABLE t_d (id int)" "DROP TABLE t_d"

begin "every host is a standby: exit 4 saying so"
expect 4 retort -d "host=127.0.0.1,$SOCKB port=$PB,$PB user=postgres dbname=ha target_session_attrs=read-write" upgrade
check_grep "$ERR" "does not accept writes: every host is a standby \(read-only\): at \"127.0.0.1\", port $PB, on socket \"$SOCKB/.s.PGSQL.$PB\"" \
	"the diagnosis names each host"
check_grep "$ERR" "hint: add the primary to the host list, or promote a standby" "the hint says what to do"
expect 4 retort --wait 1 -d "postgresql://postgres@127.0.0.1:$PB/ha?target_session_attrs=primary" upgrade
check_grep "$ERR" "did not accept connections and writes within 1 s: every host is a standby" \
	"with --wait too, once it runs out"

begin "both hosts, read-write: the standby first in the list, the primary is used"
expect 0 retort -d "postgresql://postgres@127.0.0.1:$PB,127.0.0.1:$PA/ha?target_session_attrs=read-write" upgrade $S1
expect 0 retort -d "$BOTH" current
check_grep "$OUT" "^$S1\$" "current reads the primary"
caught_up || fail "the standby did not catch up"
check_eq "$(on "$PB" "SELECT version_num FROM alembic_version")" "$S1" "the step replicated to the standby"

begin "a failover during a long upgrade: --wait finishes on the new primary, each step once"
"$RETORT_BIN" -d "$BOTH" --wait 60 upgrade >"$WORK/bg.out" 2>"$WORK/bg.err" &
bg=$!
for _ in $(seq 100); do
	[ -n "$(on "$PA" "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(4)%'
	                  AND state = 'active' AND pid <> pg_backend_pid()")" ] && break
	sleep 0.1
done
caught_up || fail "the standby did not catch up before the failover"
(cd "$WORK/pa" && as_pg "$PGBIN/pg_ctl" -D "$WORK/pa/data" -m immediate -w stop) >/dev/null 2>&1 ||
	fail "the primary did not stop"
sleep 1 # the standby sees the primary gone (retort meanwhile meets a standby only)
(cd "$WORK/pb" && as_pg "$PGBIN/pg_ctl" -D "$WORK/pb/data" -w promote) >/dev/null 2>&1 ||
	fail "the standby was not promoted"
wait $bg
check_eq "$?" 0 "retort exits 0 on the new primary"
cp "$WORK/bg.err" "$ERR"
check_grep "$ERR" "the server closed the connection during upgrade of '$S3'.*reconnecting" \
	"the lost connection is reported"
check_eq "$(on "$PB" "SELECT version_num FROM alembic_version")" "$S4" "the new primary is at the head"
check_eq "$(on "$PB" "SELECT string_agg(revision || ':' || n, ' ' ORDER BY revision)
                      FROM (SELECT revision, count(*) n FROM retort_history GROUP BY 1) h")" \
	"$S1:1 $S2:1 $S3:1 $S4:1" "each step is in the history once"
check_eq "$(on "$PB" "SELECT count(*) FROM pg_class WHERE relname IN ('t_a','t_b','t_slow','t_d')")" 4 \
	"every step's table is there"
finish
