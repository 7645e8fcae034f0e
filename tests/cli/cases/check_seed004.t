# seed 004: date-prefixed names, one valid chain
cd: tests/fixtures/seed004
run: retort check
--- exit
0
--- stdout
ok: 15 revisions, 1 head (social_login_prep_2025); 0 errors, 0 warnings; 15 of 15 upgrades runnable; 15 of 15 downgrades runnable, 0 irreversible
--- stderr
