DROP TABLE tb_index_arg;
