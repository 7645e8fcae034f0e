DROP TABLE tb_default_text;
