# show --sql from a bundle: the sidecar's statements
cd: tests/fixtures/bundle/deploy
run: retort --bundle signed.rtb --trust ci.pub show b2c3 --sql
--- exit
0
--- stdout
CREATE INDEX CONCURRENTLY ix_pets_name ON pets (name);

--- stderr
