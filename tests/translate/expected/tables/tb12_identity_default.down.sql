DROP TABLE tb_ident_default;
