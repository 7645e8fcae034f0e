DROP TABLE tb_comments;
