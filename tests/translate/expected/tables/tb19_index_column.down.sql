DROP TABLE tb_index_col;
