# check -v: each use of an assume: value is a note naming where it was given
cd: tests/fixtures/assume
run: retort -v check
--- exit
0
--- stdout
ok: 2 revisions, 1 head (2b0000000002); 0 errors, 0 warnings; 2 of 2 upgrades runnable; 2 of 2 downgrades runnable, 0 irreversible
--- stderr
versions/1a0000000001_items.py:12:8: note: 'shop.migrations.utils.skip_based_on_legacy_engine_version' is assumed to be False (retort.yaml:6:3)
versions/1a0000000001_items.py:18:8: note: 'shop.migrations.utils.skip_based_on_legacy_engine_version' is assumed to be False (retort.yaml:6:3)
versions/2b0000000002_mirror.py:12:33: note: 'shop.config.settings.schema_name' is assumed to be 'store' (retort.yaml:8:3)
versions/2b0000000002_mirror.py:13:12: note: 'shop.config.settings.pg_uri' is assumed to be None (retort.yaml:7:3)
versions/2b0000000002_mirror.py:20:8: note: 'shop.config.settings.pg_uri' is assumed to be None (retort.yaml:7:3)
versions/2b0000000002_mirror.py:22:33: note: 'shop.config.settings.schema_name' is assumed to be 'store' (retort.yaml:8:3)
