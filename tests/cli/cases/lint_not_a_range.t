# lint reads [FROM:]TO as upgrade --sql does: one start revision
cd: tests/fixtures/lint
run: retort lint l01:l02:l03
--- exit
2
--- stdout
--- stderr
retort: error: 'l01:l02:l03' is not a range: use [FROM:]TO with one start revision
