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
signer: e7d1 28fc bf98 8b07 (not trusted)
--- stderr
retort: error: bundle 'deploy/signed.rtb' is signed by key e7d1 28fc bf98 8b07, which is not trusted
  detail: trusted: 3779 fe46 bd85 a9ae
  hint: sign it with a trusted key, or add its .pub with --trust
