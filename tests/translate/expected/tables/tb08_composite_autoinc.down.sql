DROP TABLE tb_composite_autoinc;
