# check from a bundle: the recorded refusal is a warning
cd: tests/fixtures/bundle/deploy
run: RETORT_BUNDLE=signed.rtb RETORT_TRUST=ci.pub "$RETORT" check
--- exit
0
--- stdout
ok: 3 revisions, 1 head (c3d4e5f6a1b2); 0 errors, 1 warning; 3 of 3 upgrades runnable; 2 of 3 downgrades runnable, 0 irreversible; 1 needs a sidecar .sql
--- stderr
versions/c3d4e5f6a1b2_pet_age.py:25:16: warning: 'c3d4e5f6a1b2' cannot be run by retort: downgrade(): a loop over a function call, not a literal list
  hint: write this body as SQL in versions/c3d4e5f6a1b2_pet_age.sql (-- retort:downgrade section)
