# show --sql prints a sidecar's statements exactly
cd: migrations-example
run: retort show SIDECAR --sql
--- exit
--- stdout
--- stderr
