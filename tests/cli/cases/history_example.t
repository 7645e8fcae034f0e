# the example project's history with its branch and merge
cd: migrations-example
run: retort history
--- exit
--- stdout
--- stderr
