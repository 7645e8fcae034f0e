CREATE TABLE ft_sequence_default (
    id INTEGER NOT NULL, 
    PRIMARY KEY (id)
);

CREATE TABLE ft_sequence_default_kw (
    id INTEGER NOT NULL, 
    PRIMARY KEY (id)
);

CREATE TABLE ft_sequence_optional_kw (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id)
);
