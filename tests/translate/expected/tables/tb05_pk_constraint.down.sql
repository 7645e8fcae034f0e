DROP TABLE tb_pk_constraint;
