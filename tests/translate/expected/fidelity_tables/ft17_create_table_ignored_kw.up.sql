CREATE TABLE ft_reflected (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id)
);
