CREATE TABLE fn_a_table_whose_name_is_long_enough_to_push_index_child (
    id SERIAL NOT NULL, 
    parent_id INTEGER, 
    other_id INTEGER, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fn_a_table_whose_name_is_long_enough_to_push_index_c_e2c1 ON fn_a_table_whose_name_is_long_enough_to_push_index_child (parent_id);

CREATE UNIQUE INDEX ix_fn_a_table_whose_name_is_long_enough_to_push_index_c_8c05 ON fn_a_table_whose_name_is_long_enough_to_push_index_child (other_id);
