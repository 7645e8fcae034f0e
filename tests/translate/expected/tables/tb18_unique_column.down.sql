DROP TABLE tb_unique_col;
