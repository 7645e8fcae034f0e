DROP TABLE tb_composite;
