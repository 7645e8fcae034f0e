# show --sql: print() is a comment at its place, logging calls are left out
cd: tests/fixtures/harmless
run: retort show 1a --sql --downgrade
--- exit
0
--- stdout
DROP TABLE events;

-- print: dropped: events

--- stderr
