# check: a comparison of application names is refused naming both, and the hint
# gives the assume: entries that would decide it
cd: tests/fixtures/comparehint
run: retort check
--- exit
0
--- stdout
ok: 1 revision, 1 head (1c0000000001); 0 errors, 1 warning; 0 of 1 upgrades runnable; 1 of 1 downgrades runnable, 0 irreversible; 1 needs a sidecar .sql
--- stderr
versions/1c0000000001_engine.py:11:8: warning: '1c0000000001' cannot be run by retort: upgrade(): comparison of 'shop.settings.settings.engine' and 'shop.settings.Engine.POSTGRES', which retort cannot know statically
  hint: if their values are known, give them in retort.yaml: assume: {shop.settings.settings.engine: <value>, shop.settings.Engine.POSTGRES: <value>}; else write this body as SQL in versions/1c0000000001_engine.sql (-- retort:upgrade section)
