DROP TABLE fn_a_table_whose_name_is_long_enough_to_push_index;

DROP TABLE events.roles;

DROP TABLE fn_events;

DROP SCHEMA events;
