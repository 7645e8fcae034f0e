CREATE TABLE ft_ignore_fk (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id), 
    FOREIGN KEY(id) REFERENCES ft_challenges (id)
);
