#!/usr/bin/env bash
# gen-project.sh N STYLE OUTDIR: a synthetic Alembic project for the benchmarks.
# N linear revisions, each creating table t<i> (id integer primary key, name text), written
# as op.execute("CREATE TABLE ...") (STYLE execute) or op.create_table(...) (STYLE ops).
# Also writes the psql floor: floor/<NNNN>.sql per revision and floor.sql, all of them in one
# file with BEGIN/COMMIT around each migration and its version-row change, as Alembic does.
set -euo pipefail

usage() { echo "usage: gen-project.sh N execute|ops OUTDIR" >&2; exit 2; }
[ $# -eq 3 ] || usage
n=$1 style=$2 out=$3
case $n in '' | *[!0-9]*) usage ;; esac
[ "$n" -ge 1 ] || usage
case $style in execute | ops) ;; *) usage ;; esac
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
	echo "gen-project.sh: '$out' exists and is not empty" >&2
	exit 1
fi
mkdir -p "$out/versions" "$out/floor"

cat >"$out/alembic.ini" <<'EOF'
# Synthetic benchmark project (bench/gen-project.sh); Alembic's generic alembic.ini.
[alembic]
script_location = %(here)s
prepend_sys_path = .
version_path_separator = os
sqlalchemy.url = driver://user:pass@localhost/dbname

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARN
handlers = console
qualname =

[logger_sqlalchemy]
level = WARN
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
EOF

cat >"$out/env.py" <<'EOF'
"""Alembic's generic env.py; the URL comes from DATABASE_URL, one transaction per migration."""
import os
from logging.config import fileConfig

from sqlalchemy import engine_from_config
from sqlalchemy import pool

from alembic import context

config = context.config

if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = None

if os.environ.get("DATABASE_URL"):
    config.set_main_option("sqlalchemy.url", os.environ["DATABASE_URL"].replace("%", "%%"))


def run_migrations_offline() -> None:
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        transaction_per_migration=True,
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            transaction_per_migration=True,
        )

        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
EOF

cat >"$out/script.py.mako" <<'EOF'
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
EOF

# Revision ids: i times an odd constant modulo 2^48 is a bijection, so the ids are distinct,
# deterministic (runs compare like with like) and look random (no sorted-order shortcuts).
revid() { printf '%012x' $((($1 * 0x9E3779B97F4B + 0x5DEECE66D) & 0xFFFFFFFFFFFF)); }

floor=$out/floor.sql
{
	echo "-- psql floor for $n revisions: one transaction per migration, like Alembic"
	echo "CREATE TABLE IF NOT EXISTS alembic_version ("
	echo "    version_num VARCHAR(32) NOT NULL,"
	echo "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)"
	echo ");"
} >"$floor"

prev=
for ((i = 1; i <= n; i++)); do
	rev=$(revid "$i")
	if [ -z "$prev" ]; then
		down=None
		vsql="INSERT INTO alembic_version (version_num) VALUES ('$rev');"
	else
		down="'$prev'"
		vsql="UPDATE alembic_version SET version_num='$rev' WHERE alembic_version.version_num = '$prev';"
	fi
	if [ "$style" = execute ]; then
		ddl="CREATE TABLE t$i (id integer primary key, name text)"
		body="    op.execute(\"$ddl\")"
	else
		# the floor runs what Alembic emits for this op: Integer primary key means SERIAL
		ddl="CREATE TABLE t$i (id SERIAL NOT NULL, name TEXT, PRIMARY KEY (id))"
		body="    op.create_table('t$i', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.Text()))"
	fi
	cat >"$out/versions/${rev}_create_t$i.py" <<EOF
"""create t$i

Revision ID: $rev
Revises: ${prev}
Create Date: 2026-01-01 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '$rev'
down_revision = $down
branch_labels = None
depends_on = None


def upgrade() -> None:
$body


def downgrade() -> None:
    op.drop_table('t$i')
EOF
	printf '%s;\n' "$ddl" >"$out/floor/$(printf '%04d' "$i").sql"
	printf 'BEGIN;\n%s;\n%s\nCOMMIT;\n' "$ddl" "$vsql" >>"$floor"
	prev=$rev
done
echo "$prev" >"$out/HEAD"
