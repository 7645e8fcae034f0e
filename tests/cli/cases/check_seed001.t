# seed 001: two roots, duplicate ids, dangling references, a cycle: every problem at once
cd: tests/fixtures/seed001
run: retort check
--- exit
--- stdout
--- stderr
