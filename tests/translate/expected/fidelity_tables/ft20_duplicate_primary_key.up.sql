CREATE TABLE ft_duplicated_pk (
    code VARCHAR(8) NOT NULL, 
    id INTEGER NOT NULL, 
    PRIMARY KEY (id, code)
);
