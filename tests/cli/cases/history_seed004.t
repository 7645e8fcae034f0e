# order comes from the graph, not from file names
cd: tests/fixtures/seed004
run: retort history
--- exit
--- stdout
--- stderr
