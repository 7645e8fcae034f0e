#!/usr/bin/env bash
# revision --sql: the .py and .sql it writes (a refused .sql leaves no .py), a sidecar
# full of lexical traps filled in, then real Alembic and retort on it: heads and history,
# the same schema and rows from either tool, the same offline script, downgrades by
# both, and hand-overs between them on one database.
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BASE=1111aaaa0001
REV=2222bbbb0002

begin "revision --sql writes X.py and X.sql"
project rs
# Alembic's generic env.py with an offline branch, for `alembic upgrade --sql`
cat >env.py <<'EOT'
import os

from alembic import context
from sqlalchemy import create_engine, pool

url = os.environ["RETORT_DATABASE_URL"]
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None,
                          transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
EOT
expect 0 retort revision -m base --rev-id $BASE
expect 0 retort revision -m "tricky sql" --sql --rev-id $REV
PYF=versions/${REV}_tricky_sql.py
SQLF=versions/${REV}_tricky_sql.sql
check_eq "$(cat "$OUT")" "Generating $PYF ...  done
Generating $SQLF ...  done" "one Generating line per file"
check_eq "$(grep -c '^-- retort:' "$SQLF")" 2 "the sidecar has two markers"
check_grep "$SQLF" "^-- retort:upgrade$" "an upgrade section"
check_grep "$SQLF" "^-- retort:downgrade$" "a downgrade section"
check_grep "$SQLF" "no-transaction" "the sidecar explains no-transaction"
check_grep "$PYF" "^revision = '$REV'$" "the stock identifiers"
check_grep "$PYF" "^down_revision = '$BASE'$" "the parent"
check_grep "$PYF" "^    _run_sidecar\('upgrade'\)$" "upgrade() runs the sidecar"
expect 0 "$PY" -m py_compile "$PYF"
EXAMPLE=$FIX/../../../migrations-example/versions/f3c513eae268_add_updated_at_triggers.py
after_ids() { sed '1,/^depends_on = /d' "$1"; }
check_eq "$(after_ids "$EXAMPLE")" "$(after_ids "$PYF")" "migrations-example runs its sidecar so too"
expect 0 retort check
check_grep "$OUT" "0 errors, 0 warnings" "retort check is clean on the new pair"
# a sidecar whose text is empty sections: Alembic runs nothing and records the revision
fresh_db empty
expect 0 alembic upgrade head
check_eq "$(rows)" "$REV" "Alembic ran the empty sections"

begin "a .sql that cannot be written leaves no .py"
# the name is taken by a standalone SQL revision (a second head, hence --head)
printf -- '-- revision: 3333cccc0099\n-- down_revision: None\n-- retort:upgrade\n' \
	>versions/3333cccc0003_clash.sql
expect 2 retort revision -m clash --sql --rev-id 3333cccc0003 --head $REV
check_grep "$ERR" "'versions/3333cccc0003_clash.sql' already exists" "names the .sql"
check_eq "$(ls versions/3333cccc0003_clash.py 2>/dev/null)" "" "the .py was removed"
check_eq "$(cat versions/3333cccc0003_clash.sql)" "-- revision: 3333cccc0099
-- down_revision: None
-- retort:upgrade" "the existing .sql is untouched"
rm versions/3333cccc0003_clash.sql
expect 0 retort --format json revision -m "json one" --sql --rev-id 4444dddd0004
check_json "$OUT" "one('revision_created')['sql_path'] == 'versions/4444dddd0004_json_one.sql'
	and one('revision_created')['path'] == 'versions/4444dddd0004_json_one.py'" \
	"the JSON event names both files"
rm versions/4444dddd0004_json_one.*

begin "Alembic lists the revision"
# every trap of the lexer: ; in a dollar quote, a comment and strings; E'' escapes;
# :word, % and %(x)s, which a bind-parameter layer would rewrite; nested comments;
# a BEGIN ATOMIC body; tabs; and no-transaction sections in both directions
cat >"$SQLF" <<'EOT'
-- Traps for a statement splitter; every statement must reach the server as written.
-- retort:upgrade
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);
-- a comment; with a semicolon
CREATE FUNCTION note_len(n notes) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
	RETURN length(n.body); -- ; inside the body
END
$$;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql
BEGIN ATOMIC
	SELECT CASE WHEN x IS NULL THEN 0 ELSE x * 2 END;
END;
INSERT INTO notes VALUES (1, ':word and :other'), (2, '100% of %(x)s and %s'),
	(3, E'it\'s; a \\ backslash'), (4, 'two''quotes;'), (5, $q$ $$ ; $q$); /* tail ; */
INSERT INTO "notes" VALUES (6, /* nested /* ; */ comment */ 'x;y');

-- retort:upgrade no-transaction
CREATE INDEX CONCURRENTLY notes_body ON notes (body);

-- retort:downgrade no-transaction
DROP INDEX CONCURRENTLY notes_body;
-- retort:downgrade
DROP FUNCTION twice(int);
DROP FUNCTION note_len(notes);
DROP TABLE notes;
EOT
expect 0 retort check
check_grep "$OUT" "0 errors, 0 warnings" "retort check is clean"
expect 0 alembic heads
check_eq "$(cat "$OUT")" "$REV (head)" "alembic heads"
expect 0 alembic history
check_grep "$OUT" "^$BASE -> $REV \(head\), tricky sql$" "alembic history"

begin "the offline scripts are the same"
expect 0 alembic upgrade head --sql
cp "$OUT" "$WORK/alembic.sql"
expect 0 retort upgrade head --sql
cp "$OUT" "$WORK/retort.sql"
if cmp -s "$WORK/alembic.sql" "$WORK/retort.sql"; then pass; else
	fail "offline scripts differ: $(diff "$WORK/retort.sql" "$WORK/alembic.sql")"; fi
check_grep "$WORK/alembic.sql" "^INSERT INTO notes VALUES \(1, ':word and :other'\), \(2, '100% of %\(x\)s and %s'\),$" \
	"':word', '%' and '%(x)s' verbatim"
check_grep "$WORK/alembic.sql" "^	\(3, E'it\\\\'s; a \\\\\\\\ backslash'\), \(4, 'two''quotes;'\), \(5, \\\$q\\\$ \\\$\\\$ ; \\\$q\\\$\);$" \
	"the tab, the E'' string and the dollar quote verbatim"
check_grep "$WORK/alembic.sql" "^/\* tail ; \*/$" "a comment after a ';' starts the next statement"
check_eq "$(grep -B2 -A2 '^CREATE INDEX CONCURRENTLY' "$WORK/alembic.sql" | tr '\n' ' ')" \
	"COMMIT;  CREATE INDEX CONCURRENTLY notes_body ON notes (body);  BEGIN; " \
	"no-transaction between COMMIT and BEGIN"

begin "Alembic and retort build the same database"
fresh_db by_alembic
A=$RETORT_DATABASE_URL
expect 0 alembic upgrade head
check_eq "$(rows)" "$REV" "Alembic is at the head"
DATA="SELECT string_agg(id || '=' || body, '|' ORDER BY id) FROM notes"
ROWS_A=$(q "$DATA")
check_eq "$(q "SELECT body FROM notes WHERE id IN (1, 2, 3) ORDER BY id")" ":word and :other
100% of %(x)s and %s
it's; a \\ backslash" "the values reached the server unchanged"
check_eq "$(q "SELECT twice(21), note_len(notes) FROM notes WHERE id = 4")" "42|11" \
	"both functions work"
check_eq "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'notes_body'::regclass")" t \
	"the concurrent index is valid"
fresh_db by_retort
B=$RETORT_DATABASE_URL
expect 0 retort upgrade head
check_eq "$(rows)" "$REV" "retort is at the head"
check_eq "$(q "$DATA")" "$ROWS_A" "the same rows"
expect 0 retort -d "$A" fingerprint --compare "$B"
check_grep "$OUT" "^the schemas are equal" "the same schema"

begin "downgrades by both tools"
expect 0 retort downgrade base
check_eq "$(rows)" "" "retort is at base"
check_eq "$(relation notes)" f "retort dropped the table"
check_eq "$(q "SELECT count(*) FROM pg_proc WHERE proname IN ('twice', 'note_len')")" 0 \
	"retort dropped the functions"
export RETORT_DATABASE_URL=$A
expect 0 alembic downgrade base
check_eq "$(rows)" "" "Alembic is at base"
check_eq "$(relation notes)" f "Alembic dropped the table"
expect 0 retort -d "$A" fingerprint --compare "$B"

begin "hand-over on one database"
fresh_db handover
expect 0 retort upgrade $BASE
expect 0 alembic upgrade head
check_eq "$(rows)" "$REV" "Alembic took over from retort"
check_eq "$(q "$DATA")" "$ROWS_A" "Alembic's rows after retort's start"
expect 0 retort downgrade $BASE
check_eq "$(rows)" "$BASE" "retort downgraded what Alembic applied"
check_eq "$(relation notes)" f "with the sidecar's downgrade"
expect 0 retort upgrade head
expect 0 alembic downgrade $BASE
check_eq "$(rows)" "$BASE" "Alembic downgraded what retort applied"
check_eq "$(relation notes_body)" f "the index went in the no-transaction section"

begin "the loader lexes as PostgreSQL does: a lone CR ends a comment, any non-ASCII tag"
# PostgreSQL ends a -- comment at a CR too, and takes every non-ASCII character in a
# dollar-quote tag or an identifier; Python's \w and a comment read to '\n' do not. Its
# version 15 (the lexer retort links) takes a vertical tab for a token, not white space.
{
	printf -- '-- retort:upgrade\n'
	printf 'CREATE TABLE marks (n int);\n'
	printf 'INSERT INTO marks VALUES (1); -- old Mac line end\rINSERT INTO marks VALUES (2);\n'
	printf 'DO $\342\202\254$ BEGIN INSERT INTO marks VALUES (3); END $\342\202\254$;\n'
	printf 'DO $\331\243x$ BEGIN INSERT INTO marks VALUES (4); END $\331\243x$;\n'
	printf 'SELECT 1 AS caf\342\206\222$$;\n'
	printf 'SELECT 5;\n\vSELECT 6;\n'  # offline only: the server rejects it
	printf -- '-- retort:downgrade\nDROP TABLE marks;\n'
} >"$SQLF"
expect 0 retort check
check_grep "$OUT" "0 errors, 0 warnings" "retort check is clean"
expect 0 alembic upgrade head --sql
cp "$OUT" "$WORK/alembic.sql"
expect 0 retort upgrade head --sql
if cmp -s "$WORK/alembic.sql" "$OUT"; then pass; else
	fail "offline scripts differ: $(diff "$OUT" "$WORK/alembic.sql")"; fi
sed -i '/SELECT 6/d' "$SQLF"
fresh_db lexing
expect 0 alembic upgrade head
check_eq "$(q "SELECT string_agg(n::text, ',' ORDER BY n) FROM marks")" "1,2,3,4" \
	"Alembic ran every statement"

finish
