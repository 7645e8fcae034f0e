DROP TABLE tb_serial;
