DROP TABLE cns.cn_notes;
