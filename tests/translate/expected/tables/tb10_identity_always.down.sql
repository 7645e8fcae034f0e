DROP TABLE tb_ident_always;
