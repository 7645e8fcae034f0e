CREATE TABLE tb_string_pk (
    slug VARCHAR(64) NOT NULL, 
    PRIMARY KEY (slug)
);
