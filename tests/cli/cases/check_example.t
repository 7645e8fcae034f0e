# the example project is sound
cd: migrations-example
run: retort check
--- exit
--- stdout
--- stderr
