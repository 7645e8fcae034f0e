# env.py for retort's pg tests: Alembic's generic online template, with the URL and
# the version-table options taken from -x: url=URL (required), vt=NAME, vts=SCHEMA,
# vtpk=0|1 (version_table, version_table_schema, version_table_pk).
from alembic import context
from sqlalchemy import create_engine, pool

x = context.get_x_argument(as_dictionary=True)
opts = {}
if "vt" in x:
    opts["version_table"] = x["vt"]
if "vts" in x:
    opts["version_table_schema"] = x["vts"]
if "vtpk" in x:
    opts["version_table_pk"] = x["vtpk"] == "1"

engine = create_engine(x["url"], poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=None, **opts)
    with context.begin_transaction():
        context.run_migrations()
