# check -v: a literal naming_convention in env.py is noted where it was read
cd: tests/fixtures/translate/conventions
run: retort -c alembic.ini -v check
--- exit
0
--- stdout
ok: 10 revisions, 1 head (nc10_drop_constraint_none); 0 errors, 0 warnings; 10 of 10 upgrades runnable; 10 of 10 downgrades runnable, 0 irreversible
--- stderr
env.py:24:21: note: the naming convention of MetaData(...) in env.py names unnamed indexes and constraints (retort.yaml's naming_convention: overrides it)
