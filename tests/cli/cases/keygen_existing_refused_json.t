# the same refusal as a JSON error event
run: retort --format json keygen README.md
--- exit
2
--- stdout
{"event":"error","message":"'README.md' already exists","exit_code":2,"hint":"retort keygen never overwrites a key file; choose another name"}
--- stderr
