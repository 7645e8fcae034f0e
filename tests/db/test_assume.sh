#!/usr/bin/env bash
# Declared knowledge (retort.yaml assume:): guards on application code are decided by the
# assumed values, on a real database, in both directions. Fixture: tests/fixtures/assume.
# Calls Alembic runs harmlessly: print() output on stdout in step order, logging at -v,
# uuid.uuid4() and datetime.now() evaluated when the step runs. Fixture:
# tests/fixtures/harmless. loguru and structlog messages, dialect checks on the
# connection's URL, time.time() and os.environ.get() on a real run, held against real
# Alembic running the same file (Debian's python3-loguru and python3-structlog).
# shellcheck source=tests/db/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

B=2b0000000002
schema_exists() { q "SELECT count(*) FROM pg_namespace WHERE nspname = '$1'"; }

begin "assumed guards decide what runs"
project assume ../../fixtures/assume
fresh_db assume
expect 0 retort upgrade
check_eq "$(rows)" $B "at head"
check_eq "$(relation items)" t "skip_based_on_legacy_engine_version() is false: items created"
check_eq "$(schema_exists store)" 1 "the assumed schema name was used"
check_eq "$(relation mirror)" f "settings.pg_uri is None: the guard returned first"
expect 0 retort downgrade base
check_eq "$(rows)" "" "at base"
check_eq "$(relation items)" f "items dropped"
check_eq "$(schema_exists store)" 0 "schema dropped"

begin "a changed assumption changes the plan"
sed -i 's|settings.pg_uri: null|settings.pg_uri: postgresql://analytics/db|' retort.yaml
expect 0 retort upgrade
check_eq "$(relation mirror)" t "settings.pg_uri is set: mirror created"
expect 0 retort downgrade base
check_eq "$(relation mirror)" f "and dropped on the way down"

begin "print() writes to stdout when the step runs; logging only with -v"
project harmless ../../fixtures/harmless
fresh_db harmless
before=$(q "SELECT now()")
expect 0 retort upgrade
check_eq "$(grep -n -e '^creating events$' -e '^done: 2 rows$' -e '^Running upgrade' -e ' ms$' "$OUT" |
	cut -d: -f1 | tr '\n' ' ')" "1 2 3 4 " "the step's line, then its prints in order, then its time"
check_nogrep "$OUT" "table events created" "logging is quiet without -v"
check_nogrep "$ERR" "table events created" "on both streams"
check_eq "$(q "SELECT count(DISTINCT id) FROM events WHERE id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$'")" 2 \
	"two different version-4 uuids"
check_eq "$(q "SELECT count(*) FROM events WHERE token ~ '^[0-9a-f]{32}\$' AND day = current_date")" 1 \
	"uuid4().hex and date.today()"
check_eq "$(q "SELECT count(*) FROM events WHERE created >= '$before'::timestamptz - interval '1 second'
	AND created <= now() + interval '1 second'")" 2 "datetime.now(timezone.utc), utcnow() of the run"

begin "logging with -v, on stderr; JSON has output events"
expect 0 retort -v downgrade base
check_grep "$ERR" "^WARNI \[1a0000000001\] dropping 1 table$" "the log line at -v, in Alembic's format"
check_eq "$(relation events)" f "dropped"
check_grep "$OUT" "^dropped: events$" "the downgrade's print"
expect 0 retort --format json upgrade
check_json "$OUT" '[e["text"] for e in ev if e["event"] == "output"] == ["creating events\n", "table events created", "done: 2 rows\n"]' \
	"output events in body order, logging included"

begin "loguru, structlog, the connection's URL, time.time() and the environment, as under Alembic"
project libs
cat >versions/01_libs.py <<'EOT'
import os
import time

import sqlalchemy as sa
import structlog
from alembic import op
from loguru import logger

revision = 'ac01'
down_revision = None
log = structlog.get_logger(__name__)


def upgrade():
    bind = op.get_bind()
    url = str(bind.engine.url)
    logger.info("migrating {} on {}", "t", bind.engine.name)
    if url.startswith("sqlite") is False:
        op.create_table("t", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("v", sa.Text()))
    if url.startswith("mysql"):
        op.execute("SELECT no_such_function()")
    elif url.startswith("postgres") and bind.engine.url.get_backend_name() == "postgresql":
        op.execute(f"INSERT INTO t (id, v) VALUES (1, '{os.environ.get('RETORT_TEST_LIBS')}'), "
                   f"(2, '{time.time()}'), (3, '{os.getenv('RETORT_TEST_UNSET', 'unset')}')")
    log.info("done %s", "t", rows=3, kind="libs")


def downgrade():
    op.drop_table("t")
EOT
fresh_db libs
RETORT_TEST_LIBS=from-env expect 0 retort -v upgrade
check_grep "$ERR" "^INFO  \\[ac01\\] migrating t on postgresql$" "loguru's message, formatted as loguru does, at -v"
check_grep "$ERR" "^INFO  \\[ac01\\] done t kind=libs rows=3$" "structlog's event and sorted keys"
check_eq "$(q "SELECT v FROM t WHERE id IN (1, 3) ORDER BY id" | tr '\n' ' ')" "from-env unset " \
	"the environment of the run, and the default"
check_eq "$(q "SELECT abs(v::float8 - extract(epoch FROM now())) < 60 AND v ~ '^[0-9]+[.][0-9]+\$' FROM t WHERE id = 2")" t \
	"time.time() of the run, as Python shows a float"
expect 0 retort downgrade base
if "$PY" -c 'import loguru, structlog' 2>/dev/null; then
	RETORT_TEST_LIBS=from-env expect 0 alembic upgrade head
	check_grep "$ERR" "INFO +\\| .* - migrating t on postgresql$" "Alembic: the same loguru message (stderr)"
	check_grep "$OUT" "\\[info +\\] done t +kind=libs rows=3" "Alembic: the same structlog event (stdout)"
	check_eq "$(q "SELECT v FROM t WHERE id IN (1, 3) ORDER BY id" | tr '\n' ' ')" "from-env unset " \
		"Alembic: the same rows"
	expect 0 alembic downgrade base
elif [ "${CI:-}" = true ]; then
	fail "python3-loguru and python3-structlog are needed (scripts/install-deps)"
else
	echo "loguru or structlog not importable by $PY: Alembic's side skipped"
fi

finish
