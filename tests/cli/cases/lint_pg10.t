# PostgreSQL 10 rewrites for any DEFAULT: the same ADD COLUMN is a finding there
cd: tests/fixtures/lint
run: retort lint l06:l07 --pg-version 10
--- exit
8
--- stdout
versions/l07_sql_lock_held.sql:2:30: error: adding column 'status' rewrites 'users' under ACCESS EXCLUSIVE: before PostgreSQL 11 any DEFAULT is written into every row [adding-field-with-default]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'users', rewrites the table
versions/l07_sql_lock_held.sql:4:1: error: SET NOT NULL on 'status' scans all of 'users' under ACCESS EXCLUSIVE, blocking reads and writes [adding-not-nullable-field]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'users', scans the table
versions/l07_sql_lock_held.sql:4:1: error: ACCESS EXCLUSIVE on 'events', taken by the ALTER TABLE at line 3, is held while this ALTER TABLE scans 'users', until the step commits: other sessions wait on 'events' all that time [lock-held-across-statements]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'users', scans the table
  lock taken at versions/l07_sql_lock_held.sql:3:1
versions/l07_sql_lock_held.sql:5:32: error: CREATE INDEX holds SHARE on 'events' while it builds, blocking writes; use CONCURRENTLY [require-concurrent-index-creation]
  revision l07: CREATE INDEX, SHARE on 'events', scans the table
versions/l07_sql_lock_held.sql:5:1: error: ACCESS EXCLUSIVE on 'users', taken by the ALTER TABLE at line 2, is held while this CREATE INDEX scans 'events', until the step commits: other sessions wait on 'users' all that time [lock-held-across-statements]
  revision l07: CREATE INDEX, SHARE on 'events', scans the table
  lock taken at versions/l07_sql_lock_held.sql:2:1
versions/l07_sql_lock_held.sql:6:1: warning: renaming table 'users' to 'members' breaks running code that uses the old name [renaming-table]
  revision l07: RENAME, ACCESS EXCLUSIVE on 'users'
versions/l07_sql_lock_held.sql:7:1: warning: dropping column 'note' breaks running code that still reads or writes it [ban-drop-column]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'purchases'
versions/l07_sql_lock_held.sql:8:1: error: changing the type of 'total' rewrites 'purchases' and its indexes under ACCESS EXCLUSIVE (unless the types are binary-compatible), and breaks clients reading it [changing-column-type]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'purchases', rewrites the table
versions/l07_sql_lock_held.sql:9:27: error: EXCLUDE excl_purchases_user builds its index and checks every row of 'purchases' under ACCESS EXCLUSIVE, blocking reads and writes, and has no NOT VALID or USING INDEX form; add it while the table is new or empty [adding-exclusion-constraint]
  revision l07: ALTER TABLE, ACCESS EXCLUSIVE on 'purchases', scans the table
versions/l07_sql_lock_held.sql:10:1: error: REFRESH MATERIALIZED VIEW holds ACCESS EXCLUSIVE on 'user_counts' while its query runs, blocking every read of it; use CONCURRENTLY (it needs a unique index on the view) [require-concurrent-refresh]
  revision l07: REFRESH MATERIALIZED VIEW, ACCESS EXCLUSIVE on 'user_counts', scans the table
versions/l07_sql_lock_held.sql:10:1: error: ACCESS EXCLUSIVE on 'purchases', taken by the ALTER TABLE at line 7, is held while this REFRESH MATERIALIZED VIEW scans 'user_counts', until the step commits: other sessions wait on 'purchases' all that time [lock-held-across-statements]
  revision l07: REFRESH MATERIALIZED VIEW, ACCESS EXCLUSIVE on 'user_counts', scans the table
  lock taken at versions/l07_sql_lock_held.sql:7:1
--- stderr
9 errors, 2 warnings in 9 statements of 1 revision (PostgreSQL 10)
