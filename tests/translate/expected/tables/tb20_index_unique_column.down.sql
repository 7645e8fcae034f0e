DROP TABLE tb_index_unique;
