DROP TABLE tb_no_autoinc;
