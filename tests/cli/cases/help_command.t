# a command's help comes from its option table
run: retort history --help
--- exit
--- stdout
--- stderr
