# an unsigned bundle under --trust: exit 9
cd: tests/fixtures/bundle/deploy
run: retort --bundle unsigned.rtb --trust ci.pub heads
--- exit
9
--- stdout
--- stderr
retort: error: bundle 'unsigned.rtb' is not signed, and trusted keys are set
  hint: build it with 'retort bundle --sign KEY' using a trusted key
