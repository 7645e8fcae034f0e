DROP TABLE tb_string_pk;
