DROP TABLE tb_ident_opts;
