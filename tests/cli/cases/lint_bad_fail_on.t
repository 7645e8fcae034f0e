# --fail-on takes warning or error
cd: tests/fixtures/lint
run: retort lint --fail-on never
--- exit
2
--- stdout
--- stderr
retort: error: '--fail-on' takes 'warning' or 'error', not 'never'
