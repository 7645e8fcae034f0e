# an inclusive range
cd: tests/fixtures/seed004
run: retort history -r 7c29c35fc9bc:881e615d25ac
--- exit
0
--- stdout
d00825f2a89a -> 881e615d25ac, consolidate_session_model
fix_session_constraints -> d00825f2a89a, add_delegation_table
7c29c35fc9bc -> fix_session_constraints, fix session constraints
3ec3925c8904 -> 7c29c35fc9bc, add_user_sessions_table
--- stderr
