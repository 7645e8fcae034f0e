DROP TABLE cns.cn_audit;

DROP TABLE cns.regions;

DROP TABLE cn_orders;

DROP TABLE cn_users;

DROP SCHEMA cns;
