# no versions folder: heads from an unsigned bundle, with a one-line notice
cd: tests/fixtures/bundle/deploy
run: retort --bundle unsigned.rtb heads
--- exit
0
--- stdout
c3d4e5f6a1b2 (core) (head)
--- stderr
retort: notice: bundle 'unsigned.rtb' is not signed; only its hash was checked (--trust requires a signature)
