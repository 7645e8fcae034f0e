# check as JSON events
cd: tests/fixtures/seed000
run: retort check --format json
--- exit
--- stdout
--- stderr
