CREATE TABLE ft_challenges (
    id SERIAL NOT NULL, 
    name VARCHAR(80), 
    PRIMARY KEY (id)
);
