# the offline script in Alembic's shape
cd: tests/fixtures/lab/linear
run: retort upgrade head --sql
--- exit
--- stdout
--- stderr
