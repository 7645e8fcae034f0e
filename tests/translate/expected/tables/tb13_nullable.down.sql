DROP TABLE tb_nullable;
