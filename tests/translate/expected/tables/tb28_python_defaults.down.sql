DROP TABLE tb_py_defaults;
