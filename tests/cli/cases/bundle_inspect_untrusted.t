# signed by a key that is not trusted: described, then exit 9
cd: tests/fixtures/bundle
run: retort bundle --inspect deploy/signed.rtb --trust deploy/other.pub
--- exit
9
--- stdout
bundle: deploy/signed.rtb
format version: 1
revisions: 3
  a1b2c3d4e5f6  upgrade translated, downgrade translated  create pets
  b2c3d4e5f6a1  upgrade sidecar, downgrade sidecar  index pets by name
  c3d4e5f6a1b2  upgrade translated, downgrade refused  add pets.age
heads: c3d4e5f6a1b2
bodies: 3 translated, 2 sidecar, 0 rendered by Alembic, 1 refused
settings: version table alembic_version, history table retort_history, transaction per-migration
signer: 30d8 b1ea 1142 228d (not trusted)
--- stderr
retort: error: bundle 'deploy/signed.rtb' is signed by key 30d8 b1ea 1142 228d, which is not trusted
  detail: trusted: b316 68ff b3b2 d6f7
  hint: sign it with a trusted key, or add its .pub with --trust
