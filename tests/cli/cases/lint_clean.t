# a range without findings exits 0
cd: tests/fixtures/lint
run: retort lint l01
--- exit
0
--- stdout
--- stderr
0 errors, 0 warnings in 6 statements of 1 revision (PostgreSQL 15)
