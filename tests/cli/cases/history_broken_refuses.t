# a broken graph refuses history with the list of problems
cd: tests/fixtures/seed001
run: retort history
--- exit
--- stdout
--- stderr
