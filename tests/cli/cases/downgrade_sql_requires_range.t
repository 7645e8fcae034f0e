# offline downgrade needs FROM:TO, as in Alembic
cd: tests/fixtures/lab/linear
run: retort downgrade base --sql
--- exit
--- stdout
--- stderr
