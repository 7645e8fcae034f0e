# --fail-on warning: warnings alone exit 8
cd: tests/fixtures/lint
run: retort lint l03:l04 --fail-on warning -q
--- exit
8
--- stdout
versions/l04_renames.py:21:17: error: ACCESS EXCLUSIVE on 'users', taken by the RENAME at line 19, is held while this UPDATE scans 'users', until the step commits: other sessions wait on 'users' all that time [lock-held-across-statements]
  revision l04: UPDATE, ROW EXCLUSIVE on 'users', scans the table
  lock taken at versions/l04_renames.py:19:5
versions/l04_renames.py:23:17: error: TRUNCATE ... CASCADE also empties every table with a foreign key to 'purchases', and the tables referencing those, whatever their names [ban-truncate-cascade]
  revision l04: TRUNCATE, ACCESS EXCLUSIVE on 'purchases'
--- stderr
