CREATE TABLE a_table_with_a_rather_long_name_for_testing_truncation (
    a_column_with_a_long_name_too SERIAL NOT NULL, 
    another_column_with_a_long_name INTEGER, 
    CONSTRAINT pk_a_table_with_a_rather_long_name_for_testing_truncation PRIMARY KEY (a_column_with_a_long_name_too)
);

CREATE UNIQUE INDEX ix_a_table_with_a_rather_long_name_for_testing_truncati_01db ON a_table_with_a_rather_long_name_for_testing_truncation (another_column_with_a_long_name);
