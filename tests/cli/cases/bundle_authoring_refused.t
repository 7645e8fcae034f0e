# authoring commands work on files, not on a bundle
cd: tests/fixtures/bundle/deploy
run: retort --bundle signed.rtb revision -m x
--- exit
2
--- stdout
--- stderr
retort: error: 'revision' works on the version files, not on the bundle set by --bundle
