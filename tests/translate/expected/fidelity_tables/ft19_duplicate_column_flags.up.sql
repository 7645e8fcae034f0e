CREATE TABLE ft_duplicated_flags (
    id SERIAL NOT NULL, 
    owner BIGINT NOT NULL, 
    kind VARCHAR(20), 
    PRIMARY KEY (id), 
    UNIQUE (owner)
);

CREATE INDEX ix_ft_duplicated_flags_kind ON ft_duplicated_flags (kind);
