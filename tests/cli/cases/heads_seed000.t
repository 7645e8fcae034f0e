# two heads, in Alembic's text
cd: tests/fixtures/seed000
run: retort heads
--- exit
--- stdout
--- stderr
