# no command: usage on stderr, exit 2
run: retort
--- exit
--- stdout
--- stderr
