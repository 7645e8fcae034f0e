# a project with errors: check's report, and no bundle written
cd: tests/fixtures/seed000
run: retort bundle -o /nonexistent/m.rtb
--- exit
3
--- stdout
failed: 10 revisions, 2 heads; 1 error, 0 warnings; 10 of 10 upgrades runnable; 10 of 10 downgrades runnable, 0 irreversible
--- stderr
versions/001_create_ux_feature_models.py:14:17: error: two heads: 'c9f3a8e1d4b2' and '007_add_password_hash_to_users' both descend from 'b81dde19348f'
   14 | down_revision = 'b81dde19348f'
      |                 ^~~~~~~~~~~~~~
  hint: join them with `retort merge heads`, or move one chain onto the other: `retort rebase 001_create_ux_features --onto c9f3a8e1d4b2`
retort: error: the project has errors; no bundle was written
