# two heads, in Alembic's text
cd: tests/fixtures/seed000
run: retort heads
--- exit
0
--- stdout
007_add_password_hash_to_users (head)
c9f3a8e1d4b2 (head)
--- stderr
