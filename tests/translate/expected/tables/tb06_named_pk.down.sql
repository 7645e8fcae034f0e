DROP TABLE tb_named_pk;
