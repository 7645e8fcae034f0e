# the same as JSON
cd: tests/fixtures/bundle
run: retort --format json bundle --inspect deploy/signed.rtb --trust deploy/ci.pub
--- exit
0
--- stdout
{"event":"bundle","path":"deploy/signed.rtb","format_version":1,"revisions":[{"revision":"a1b2c3d4e5f6","down_revisions":[],"upgrade":"translated","downgrade":"translated","message":"create pets","checksum":"28837d37f6ac3474b1be3be88c5361e59504dbfca89085ff41cfc89b7b6e6283"},{"revision":"b2c3d4e5f6a1","down_revisions":["a1b2c3d4e5f6"],"upgrade":"sidecar","downgrade":"sidecar","message":"index pets by name","checksum":"73f2702298374261aa80ead1341fc3d7c42aa7c488f26413c14e7cefcdcc5cf7"},{"revision":"c3d4e5f6a1b2","down_revisions":["b2c3d4e5f6a1"],"upgrade":"translated","downgrade":"refused","message":"add pets.age","checksum":"cd77cfbdaa328acd80e6ed480099778dccc420d9910ad9a68f741100927898e9"}],"heads":["c3d4e5f6a1b2"],"translated":3,"sidecar":2,"alembic":0,"refused":1,"version_table":"alembic_version","version_table_schema":null,"history_table":"retort_history","transaction":"per-migration","signer":"e7d1 28fc bf98 8b07","trusted":true}
--- stderr
