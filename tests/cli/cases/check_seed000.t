# seed 000: two chains fork from one parent; check names the fork point and both chains
cd: tests/fixtures/seed000
run: retort check
--- exit
--- stdout
--- stderr
