# the fixture of tests/unit/alembicrender: the steps it renders with Alembic are ones retort refuses
cd: tests/fixtures/alembicrender
run: retort check
--- exit
0
--- stdout
ok: 6 revisions, 1 head (f6000006); 0 errors, 3 warnings; 3 of 6 upgrades runnable; 4 of 6 downgrades runnable, 0 irreversible; 3 need a sidecar .sql
--- stderr
versions/b2000002_audit_items.py:16:5: warning: 'b2000002' cannot be run by retort: upgrade(): an application import inside upgrade() (under Alembic it runs the application's code); downgrade(): an application import inside downgrade() (under Alembic it runs the application's code)
  hint: write this body as SQL in versions/b2000002_audit_items.sql (-- retort:upgrade section); an import of names retort.yaml gives (assume:, types:) is allowed
versions/e5000005_merge.py:15:5: warning: 'e5000005' cannot be run by retort: upgrade(): an application import inside upgrade() (under Alembic it runs the application's code); downgrade(): an application import inside downgrade() (under Alembic it runs the application's code)
  hint: write this body as SQL in versions/e5000005_merge.sql (-- retort:upgrade section); an import of names retort.yaml gives (assume:, types:) is allowed
versions/f6000006_slow.py:17:5: warning: 'f6000006' cannot be run by retort: upgrade(): a call to 'time.sleep'
  hint: write this body as SQL in versions/f6000006_slow.sql (-- retort:upgrade section); if 'time.sleep' is a column type, map it in retort.yaml: types: {time.sleep: <SQL type>}; if its result is known, give it: assume: {time.sleep: <value>}
