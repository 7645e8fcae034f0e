CREATE TABLE ft_numeric_pk (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id)
);
