# an ambiguous prefix lists the candidates
cd: tests/fixtures/lab/ambig
run: retort show abc
--- exit
--- stdout
--- stderr
