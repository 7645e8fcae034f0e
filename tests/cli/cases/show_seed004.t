# one revision's verbose entry
cd: tests/fixtures/seed004
run: retort show 7c29c35fc9bc
--- exit
0
--- stdout
Rev: 7c29c35fc9bc
Parent: 3ec3925c8904
Path: versions/2025_03_04_1422_7c29c35fc9bc_add_user_sessions_table.py

    add_user_sessions_table
    
    Revision ID: 7c29c35fc9bc
    Revises: 3ec3925c8904
    Create Date: 2025-03-04 14:22:51.330088

--- stderr
