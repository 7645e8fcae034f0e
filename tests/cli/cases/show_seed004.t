# one revision's verbose entry
cd: tests/fixtures/seed004
run: retort show 7c29c35fc9bc
--- exit
--- stdout
--- stderr
