# order comes from the graph, not from file names
cd: tests/fixtures/seed004
run: retort history
--- exit
0
--- stdout
fix_enum_name_2025 -> social_login_prep_2025 (head), social login prep
add_encrypted_api_keys -> fix_enum_name_2025, fix message role enum name
add_is_default_api_keys -> add_encrypted_api_keys, add encrypted api keys
add_message_role_enum -> add_is_default_api_keys, add is_default to api keys
add_chat_tables -> add_message_role_enum, add message role enum
6f8a4e1b9d43 -> add_chat_tables, add chat tables
5f7a3e1b8d42 -> 6f8a4e1b9d43, replace_local_auth_with_cognito
881e615d25ac -> 5f7a3e1b8d42, add_updated_at_to_users
d00825f2a89a -> 881e615d25ac, consolidate_session_model
fix_session_constraints -> d00825f2a89a, add_delegation_table
7c29c35fc9bc -> fix_session_constraints, fix session constraints
3ec3925c8904 -> 7c29c35fc9bc, add_user_sessions_table
69491a79cfd0 -> 3ec3925c8904, add_name_field_to_apikey_model
d4ae65008d6d -> 69491a79cfd0, add_is_active_to_user_model
<base> -> d4ae65008d6d, create_initial_tables
--- stderr
