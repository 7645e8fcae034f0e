CREATE TABLE fn_long_constraints (
    id SERIAL NOT NULL, 
    parent_id INTEGER, 
    n INTEGER, 
    CONSTRAINT pk_fn_long_constraints_with_a_primary_key_name_longer_than_63 PRIMARY KEY (id), 
    CONSTRAINT fk_fn_long_constraints_parent_id_fn_a_table_whose_name__7413 FOREIGN KEY(parent_id) REFERENCES fn_a_table_whose_name_is_long_enough_to_push_index (id), 
    CONSTRAINT ck_fn_long_constraints_n_positive_and_a_name_longer_tha_b2c4 CHECK (n > 0)
);

ALTER TABLE fn_long_constraints ADD CONSTRAINT ck_fn_long_constraints_n_small_with_another_name_longer_03cc CHECK (n < 100);
