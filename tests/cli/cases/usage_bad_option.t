# an unknown option names itself, exit 2
run: retort heads --bogus
--- exit
2
--- stdout
--- stderr
retort: error: unknown option '--bogus'
  hint: 'retort heads --help' lists its options
