# a syntax error inside a body does not stop the listings (they read no body)
cd: tests/fixtures/bodyerror
run: retort history
--- exit
0
--- stdout
a1a1a1a1a1a1 -> b2b2b2b2b2b2 (head), a body with a syntax error
<base> -> a1a1a1a1a1a1, create t
--- stderr
