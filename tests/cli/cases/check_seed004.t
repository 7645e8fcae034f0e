# seed 004: date-prefixed names, one valid chain
cd: tests/fixtures/seed004
run: retort check
--- exit
--- stdout
--- stderr
