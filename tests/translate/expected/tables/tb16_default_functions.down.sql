DROP TABLE tb_default_func;
