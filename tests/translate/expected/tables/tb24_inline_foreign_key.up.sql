CREATE TABLE tb_child (
    id SERIAL NOT NULL, 
    parent_id INTEGER NOT NULL, 
    other_id BIGINT, 
    PRIMARY KEY (id), 
    FOREIGN KEY(parent_id) REFERENCES tb_serial (id) ON DELETE CASCADE, 
    FOREIGN KEY(other_id) REFERENCES tb_bigserial (id)
);
