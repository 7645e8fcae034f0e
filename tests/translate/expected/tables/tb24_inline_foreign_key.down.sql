DROP TABLE tb_child;
