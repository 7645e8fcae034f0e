DROP TABLE tb_bigserial;
