ALTER TABLE cns.cn_tags DROP CONSTRAINT pk_cn_tags;

DROP TABLE cns.cn_tags;
