DROP TABLE tb_default_bool;
