# an ambiguous prefix lists the candidates
cd: tests/fixtures/lab/ambig
run: retort show abc
--- exit
2
--- stdout
--- stderr
retort: error: Can't locate revision identified by 'abc'
  detail: Multiple revisions start with 'abc': 'abc11111', 'abc22222'...
  hint: give more characters of the revision id
