# downgrade --sql across an irreversible step refuses (exit 3), printing no script
cd: tests/fixtures/irreversible
run: retort downgrade --sql 4d0000000004:base
--- exit
3
--- stdout
--- stderr
versions/3c0000000003_merge_a.py:23:5: error: downgrade of '3c0000000003' is irreversible: RuntimeError: rows deleted by 3c0000000003 cannot be restored
   23 |     raise RuntimeError(f"rows deleted by {revision} cannot be restored")
      |     ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
  hint: stamp past it ('retort stamp') to leave its changes in place, or restore from a backup; if it can be reversed after all, write the downgrade as SQL in versions/3c0000000003_merge_a.sql (-- retort:downgrade section)
