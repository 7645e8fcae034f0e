# an inclusive range
cd: tests/fixtures/seed004
run: retort history -r 7c29c35fc9bc:881e615d25ac
--- exit
--- stdout
--- stderr
