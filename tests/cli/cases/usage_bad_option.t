# an unknown option names itself, exit 2
run: retort heads --bogus
--- exit
--- stdout
--- stderr
