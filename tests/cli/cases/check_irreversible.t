# check -v: irreversible downgrades are counted apart and noted, not sidecar warnings
cd: tests/fixtures/irreversible
run: retort -v check
--- exit
0
--- stdout
ok: 4 revisions, 1 head (4d0000000004); 0 errors, 0 warnings; 4 of 4 upgrades runnable; 2 of 4 downgrades runnable, 2 irreversible
--- stderr
versions/2b0000000002_drop_b.py:23:5: note: downgrade of '2b0000000002' is irreversible: NotImplementedError
  hint: stamp past it ('retort stamp') to leave its changes in place, or restore from a backup; if it can be reversed after all, write the downgrade as SQL in versions/2b0000000002_drop_b.sql (-- retort:downgrade section)
versions/3c0000000003_merge_a.py:23:5: note: downgrade of '3c0000000003' is irreversible: RuntimeError: rows deleted by 3c0000000003 cannot be restored
  hint: stamp past it ('retort stamp') to leave its changes in place, or restore from a backup; if it can be reversed after all, write the downgrade as SQL in versions/3c0000000003_merge_a.sql (-- retort:downgrade section)
