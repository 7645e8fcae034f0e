DROP TABLE tb_smallserial;
