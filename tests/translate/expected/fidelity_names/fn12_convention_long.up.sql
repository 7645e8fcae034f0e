CREATE UNIQUE INDEX ix_fn_a_table_whose_name_is_long_enough_to_push_index_a_c0f4 ON fn_a_table_whose_name_is_long_enough_to_push_index (a_column_with_a_rather_long_name);

CREATE TABLE fn_a_table_whose_name_is_long_enough_to_push_index_child (
    id SERIAL NOT NULL, 
    parent_id INTEGER, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fn_a_table_whose_name_is_long_enough_to_push_index_c_e2c1 ON fn_a_table_whose_name_is_long_enough_to_push_index_child (parent_id);
