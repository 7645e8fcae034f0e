# check parses every body and reports the error where it is
cd: tests/fixtures/bodyerror
run: retort check
--- exit
3
--- stdout
failed: 1 revision, 1 head (a1a1a1a1a1a1); 1 error, 0 warnings; 1 of 1 upgrades runnable; 1 of 1 downgrades runnable, 0 irreversible
--- stderr
versions/b2b2b2b2b2b2_broken_body.py:19:12: error: expected ':' but found end of line
   19 |     if True
      |            ^
  hint: retort reads version files as Python 3.12 source without running them; fix the syntax (python3 -m py_compile shows it too)
