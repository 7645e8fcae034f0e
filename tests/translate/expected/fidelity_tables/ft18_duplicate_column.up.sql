CREATE TABLE ft_duplicated (
    id SERIAL NOT NULL, 
    title VARCHAR(80) NOT NULL, 
    body TEXT, 
    PRIMARY KEY (id)
);

COMMENT ON COLUMN ft_duplicated.title IS 'second';
