# a step whose body does not parse stops the plan before anything runs
cd: tests/fixtures/bodyerror
run: retort upgrade --sql
--- exit
3
--- stdout
--- stderr
versions/b2b2b2b2b2b2_broken_body.py:19:12: error: expected ':' but found end of line
   19 |     if True
      |            ^
  hint: retort reads version files as Python 3.12 source without running them; fix the syntax (python3 -m py_compile shows it too)
