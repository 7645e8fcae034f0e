CREATE TABLE cns.cn_tags (
    name VARCHAR(30) NOT NULL
);

ALTER TABLE cns.cn_tags ADD CONSTRAINT pk_cn_tags PRIMARY KEY (name);
