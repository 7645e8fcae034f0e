CREATE TABLE tb_default_literal (
    id SERIAL NOT NULL, 
    status VARCHAR(20) DEFAULT 'new', 
    quote VARCHAR(20) DEFAULT 'it''s', 
    zero INTEGER DEFAULT '0', 
    empty TEXT DEFAULT '', 
    PRIMARY KEY (id)
);
