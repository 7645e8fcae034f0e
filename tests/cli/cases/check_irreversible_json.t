# the JSON summary counts upgrades, downgrades and irreversible downgrades apart
cd: tests/fixtures/irreversible
run: retort --format json check
--- exit
0
--- stdout
{"event":"summary","ok":true,"revisions":4,"heads":["4d0000000004"],"errors":0,"warnings":0,"upgrades_runnable":4,"downgrades_runnable":2,"irreversible":2,"refused":0}
--- stderr
