DROP TABLE tb_default_literal;
