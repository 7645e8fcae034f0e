CREATE TYPE ft_dup_state AS ENUM ('new', 'done');

CREATE TABLE ft_duplicated_enum (
    state VARCHAR(10), 
    mode TEXT, 
    CONSTRAINT ft_dup_mode CHECK (mode IN ('a', 'b'))
);
