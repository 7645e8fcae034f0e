# the example project is sound
cd: migrations-example
run: retort check
--- exit
0
--- stdout
ok: 15 revisions, 1 head (728111a24eb7); 0 errors, 0 warnings; 15 of 15 upgrades runnable; 15 of 15 downgrades runnable, 0 irreversible
--- stderr
