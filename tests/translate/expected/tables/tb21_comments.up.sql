CREATE TABLE tb_comments (
    id SERIAL NOT NULL, 
    name VARCHAR(100), 
    bio TEXT, 
    PRIMARY KEY (id)
);

COMMENT ON TABLE tb_comments IS 'people we know';

COMMENT ON COLUMN tb_comments.name IS 'the user''s display name';
