# check counts each direction apart: an irreversible downgrade is no sidecar warning
cd: tests/fixtures/irreversible/mixed
run: retort check
--- exit
0
--- stdout
ok: 2 revisions, 1 head (6f0000000006); 0 errors, 2 warnings; 1 of 2 upgrades runnable; 0 of 2 downgrades runnable, 1 irreversible; 2 need a sidecar .sql
--- stderr
versions/5e0000000005_loop.py:18:5: warning: '5e0000000005' cannot be run by retort: upgrade(): a 'while' loop still running after 10000 turns
  hint: write this body as SQL in versions/5e0000000005_loop.sql (-- retort:upgrade section)
versions/6f0000000006_app.py:22:5: warning: '6f0000000006' cannot be run by retort: downgrade(): an application import inside downgrade() (under Alembic it runs the application's code)
  hint: write this body as SQL in versions/6f0000000006_app.sql (-- retort:downgrade section); an import of names retort.yaml gives (assume:, types:) is allowed
