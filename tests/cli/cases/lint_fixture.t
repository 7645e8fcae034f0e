# every hazard of the lint fixture, at its op.* call or SQL line, with rule, lock and relation
cd: tests/fixtures/lint
run: retort lint
--- exit
8
--- stdout
versions/l02_columns.py:19:5: error: column 'score' is NOT NULL without a DEFAULT: this fails on a table that has rows, and breaks inserts that do not set it [adding-required-field]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users'
versions/l02_columns.py:20:5: error: adding column 'token' rewrites 'users' under ACCESS EXCLUSIVE: its DEFAULT is volatile, so every row gets its own value [adding-field-with-default]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users', rewrites the table
versions/l02_columns.py:22:5: error: changing the type of 'name' rewrites 'users' and its indexes under ACCESS EXCLUSIVE (unless the types are binary-compatible), and breaks clients reading it [changing-column-type]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users', rewrites the table
versions/l02_columns.py:23:5: error: SET NOT NULL on 'email' scans all of 'users' under ACCESS EXCLUSIVE, blocking reads and writes [adding-not-nullable-field]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users', scans the table
versions/l02_columns.py:24:5: warning: dropping NOT NULL on 'nickname' lets NULLs reach clients that do not expect them [ban-drop-not-null]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users'
versions/l02_columns.py:25:5: warning: dropping column 'legacy' breaks running code that still reads or writes it [ban-drop-column]
  revision l02: ALTER TABLE, ACCESS EXCLUSIVE on 'users'
versions/l03_constraints.py:19:5: error: CREATE INDEX holds SHARE on 'users' while it builds, blocking writes; use CONCURRENTLY [require-concurrent-index-creation]
  revision l03: CREATE INDEX, SHARE on 'users', scans the table
versions/l03_constraints.py:20:5: error: DROP INDEX takes ACCESS EXCLUSIVE on 'ix_users_name' and its table, blocking reads and writes; use DROP INDEX CONCURRENTLY [require-concurrent-index-deletion]
  revision l03: DROP INDEX, ACCESS EXCLUSIVE on 'ix_users_name'
versions/l03_constraints.py:21:5: error: FOREIGN KEY on 'orders' validates every row while holding SHARE ROW EXCLUSIVE on 'orders' and 'users', blocking their writes [adding-foreign-key-constraint]
  revision l03: ALTER TABLE, SHARE ROW EXCLUSIVE on 'orders', scans the table
versions/l03_constraints.py:21:5: error: add FOREIGN KEY fk_orders_user as NOT VALID, then VALIDATE CONSTRAINT in a later step [constraint-missing-not-valid]
  revision l03: ALTER TABLE, SHARE ROW EXCLUSIVE on 'orders', scans the table
versions/l03_constraints.py:21:5: error: ACCESS EXCLUSIVE on 'ix_users_name', taken by the DROP INDEX at line 20, is held while this ALTER TABLE scans 'orders', until the step commits: other sessions wait on 'ix_users_name' all that time [lock-held-across-statements]
  revision l03: ALTER TABLE, SHARE ROW EXCLUSIVE on 'orders', scans the table
  lock taken at versions/l03_constraints.py:20:5
versions/l03_constraints.py:22:5: error: UNIQUE builds its index under ACCESS EXCLUSIVE on 'users', blocking reads and writes; build a unique index CONCURRENTLY, then add the constraint USING INDEX [disallowed-unique-constraint]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'users', scans the table
versions/l03_constraints.py:22:5: error: SHARE ROW EXCLUSIVE on 'orders', taken by the ALTER TABLE at line 21, is held while this ALTER TABLE scans 'users', until the step commits: other sessions wait on 'orders' all that time [lock-held-across-statements]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'users', scans the table
  lock taken at versions/l03_constraints.py:21:5
versions/l03_constraints.py:23:5: error: CHECK ck_orders_total scans all of 'orders' under ACCESS EXCLUSIVE; add it NOT VALID, then VALIDATE [constraint-missing-not-valid]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'orders', scans the table
versions/l03_constraints.py:23:5: error: ACCESS EXCLUSIVE on 'users', taken by the ALTER TABLE at line 22, is held while this ALTER TABLE scans 'orders', until the step commits: other sessions wait on 'users' all that time [lock-held-across-statements]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'orders', scans the table
  lock taken at versions/l03_constraints.py:22:5
versions/l03_constraints.py:24:5: error: PRIMARY KEY builds its index under ACCESS EXCLUSIVE on 'events', blocking reads and writes; build a unique index CONCURRENTLY, then add the constraint USING INDEX [adding-serial-primary-key-field]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'events', scans the table
versions/l03_constraints.py:24:5: error: ACCESS EXCLUSIVE on 'orders', taken by the ALTER TABLE at line 23, is held while this ALTER TABLE scans 'events', until the step commits: other sessions wait on 'orders' all that time [lock-held-across-statements]
  revision l03: ALTER TABLE, ACCESS EXCLUSIVE on 'events', scans the table
  lock taken at versions/l03_constraints.py:23:5
versions/l03_constraints.py:25:5: error: CREATE INDEX cannot run inside a transaction block: put it in a no-transaction section (autocommit_block() in a .py) [ban-concurrent-index-creation-in-transaction]
  revision l03: CREATE INDEX, SHARE UPDATE EXCLUSIVE on 'orders', scans the table
versions/l03_constraints.py:25:5: error: ACCESS EXCLUSIVE on 'events', taken by the ALTER TABLE at line 24, is held while this CREATE INDEX scans 'orders', until the step commits: other sessions wait on 'events' all that time [lock-held-across-statements]
  revision l03: CREATE INDEX, SHARE UPDATE EXCLUSIVE on 'orders', scans the table
  lock taken at versions/l03_constraints.py:24:5
versions/l04_renames.py:19:5: warning: renaming column 'name' of 'users' to 'full_name' breaks running code that uses the old name [renaming-column]
  revision l04: RENAME, ACCESS EXCLUSIVE on 'users'
versions/l04_renames.py:20:5: warning: dropping table 'old_sessions' breaks running code that still uses it [ban-drop-table]
  revision l04: DROP TABLE, ACCESS EXCLUSIVE on 'old_sessions'
versions/l04_renames.py:21:17: warning: UPDATE of every row of 'users' in one statement locks all its rows until the step commits, and bloats it; backfill in batches outside the migration [unbatched-backfill]
  revision l04: UPDATE, ROW EXCLUSIVE on 'users', scans the table
versions/l04_renames.py:21:17: error: ACCESS EXCLUSIVE on 'users', taken by the RENAME at line 19, is held while this UPDATE scans 'users', until the step commits: other sessions wait on 'users' all that time [lock-held-across-statements]
  revision l04: UPDATE, ROW EXCLUSIVE on 'users', scans the table
  lock taken at versions/l04_renames.py:19:5
versions/l04_renames.py:22:5: warning: renaming table 'orders' to 'purchases' breaks running code that uses the old name [renaming-table]
  revision l04: RENAME, ACCESS EXCLUSIVE on 'orders'
versions/l04_renames.py:23:17: error: TRUNCATE ... CASCADE also empties every table with a foreign key to 'purchases', and the tables referencing those, whatever their names [ban-truncate-cascade]
  revision l04: TRUNCATE, ACCESS EXCLUSIVE on 'purchases'
versions/l05_lock_held.py:20:5: error: CREATE INDEX holds SHARE on 'purchases' while it builds, blocking writes; use CONCURRENTLY [require-concurrent-index-creation]
  revision l05: CREATE INDEX, SHARE on 'purchases', scans the table
versions/l05_lock_held.py:20:5: error: ACCESS EXCLUSIVE on 'purchases', taken by the ALTER TABLE at line 19, is held while this CREATE INDEX scans 'purchases', until the step commits: other sessions wait on 'purchases' all that time [lock-held-across-statements]
  revision l05: CREATE INDEX, SHARE on 'purchases', scans the table
  lock taken at versions/l05_lock_held.py:19:5
versions/l05_lock_held.py:21:17: error: retort runs each step in its own transaction: this ends or nests it, so a failure can leave the step half applied [transaction-nesting]
  revision l05: TRANSACTION
versions/l05_lock_held.py:22:17: error: retort runs each step in its own transaction: this ends or nests it, so a failure can leave the step half applied [transaction-nesting]
  revision l05: TRANSACTION
versions/l05_lock_held.py:24:9: warning: this CREATE INDEX runs outside a transaction and cannot be re-run after a failure: use IF [NOT] EXISTS [prefer-robust-stmts]
  revision l05: CREATE INDEX, SHARE UPDATE EXCLUSIVE on 'purchases', scans the table
versions/l05_lock_held.py:26:21: error: VACUUM FULL rewrites 'purchases' under ACCESS EXCLUSIVE, blocking reads and writes [table-rewrite]
  revision l05: VACUUM FULL, ACCESS EXCLUSIVE on 'purchases', rewrites the table
versions/l06_sidecar.sql:2:30: error: adding column 'seq' rewrites 'users' under ACCESS EXCLUSIVE: a serial column's default, nextval(), is volatile [adding-field-with-default]
  revision l06: ALTER TABLE, ACCESS EXCLUSIVE on 'users', rewrites the table
versions/l06_sidecar.sql:3:39: warning: a domain CHECK cannot be changed later without checking every column of the domain under lock; put the CHECK on the table [ban-create-domain-with-constraint]
  revision l06: CREATE DOMAIN
versions/l06_sidecar.sql:4:1: warning: ADD CONSTRAINT on a domain checks every column that uses it, locking each table; put the CHECK on the tables [ban-alter-domain-with-add-constraint]
  revision l06: ALTER DOMAIN
versions/l06_sidecar.sql:5:27: error: FOREIGN KEY on 'purchases' validates every row while holding SHARE ROW EXCLUSIVE on 'purchases' and 'users', blocking their writes [adding-foreign-key-constraint]
  revision l06: ALTER TABLE, SHARE ROW EXCLUSIVE on 'purchases', scans the table
versions/l06_sidecar.sql:5:27: error: add FOREIGN KEY fk_purchases_user as NOT VALID, then VALIDATE CONSTRAINT in a later step [constraint-missing-not-valid]
  revision l06: ALTER TABLE, SHARE ROW EXCLUSIVE on 'purchases', scans the table
versions/l06_sidecar.sql:5:1: error: ACCESS EXCLUSIVE on 'users', taken by the ALTER TABLE at line 2, is held while this ALTER TABLE scans 'purchases', until the step commits: other sessions wait on 'users' all that time [lock-held-across-statements]
  revision l06: ALTER TABLE, SHARE ROW EXCLUSIVE on 'purchases', scans the table
  lock taken at versions/l06_sidecar.sql:2:1
versions/l06_sidecar.sql:6:1: error: SET TABLESPACE rewrites 'purchases' under ACCESS EXCLUSIVE, blocking reads and writes [table-rewrite]
  revision l06: ALTER TABLE, ACCESS EXCLUSIVE on 'purchases', rewrites the table
versions/l06_sidecar.sql:7:1: error: CLUSTER rewrites 'users' under ACCESS EXCLUSIVE, blocking reads and writes [table-rewrite]
  revision l06: CLUSTER, ACCESS EXCLUSIVE on 'users', rewrites the table
versions/l06_sidecar.sql:7:1: error: ACCESS EXCLUSIVE on 'purchases', taken by the ALTER TABLE at line 6, is held while this CLUSTER rewrites 'users', until the step commits: other sessions wait on 'purchases' all that time [lock-held-across-statements]
  revision l06: CLUSTER, ACCESS EXCLUSIVE on 'users', rewrites the table
  lock taken at versions/l06_sidecar.sql:6:1
versions/l06_sidecar.sql:8:1: error: VACUUM cannot run inside a transaction block: put it in a no-transaction section (autocommit_block() in a .py) [requires-no-transaction]
  revision l06: VACUUM, SHARE UPDATE EXCLUSIVE on 'users', scans the table
versions/l06_sidecar.sql:9:1: error: CREATE INDEX cannot run inside a transaction block: put it in a no-transaction section (autocommit_block() in a .py) [ban-concurrent-index-creation-in-transaction]
  revision l06: CREATE INDEX, SHARE UPDATE EXCLUSIVE on 'users', scans the table
versions/l06_sidecar.sql:11:1: warning: DELETE of every row of 'events' in one statement locks all its rows until the step commits, and bloats it; backfill in batches outside the migration [unbatched-backfill]
  revision l06: DELETE, ROW EXCLUSIVE on 'events', scans the table
versions/l06_sidecar.sql:14:1: warning: this DROP INDEX runs outside a transaction and cannot be re-run after a failure: use IF [NOT] EXISTS [prefer-robust-stmts]
  revision l06: DROP INDEX, SHARE UPDATE EXCLUSIVE on 'ix_users_email'
versions/l06_sidecar.sql:15:1: error: dropping database 'scratch' destroys it for every client [ban-drop-database]
  revision l06: DROP DATABASE
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
42 errors, 13 warnings in 52 statements of 7 revisions (PostgreSQL 15)
