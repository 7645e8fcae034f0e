# offline downgrade needs FROM:TO, as in Alembic
cd: tests/fixtures/lab/linear
run: retort downgrade base --sql
--- exit
2
--- stdout
--- stderr
retort: error: downgrade with --sql requires <fromrev>:<torev>
