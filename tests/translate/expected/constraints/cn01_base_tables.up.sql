CREATE SCHEMA cns;

CREATE TABLE cn_users (
    id SERIAL NOT NULL, 
    email VARCHAR(255), 
    PRIMARY KEY (id)
);

CREATE TABLE cn_orders (
    id INTEGER NOT NULL, 
    user_id INTEGER, 
    ref VARCHAR(20), 
    amount NUMERIC(12, 2), 
    region VARCHAR(2), 
    region_code INTEGER
);

CREATE TABLE cns.regions (
    country VARCHAR(2) NOT NULL, 
    code INTEGER NOT NULL, 
    PRIMARY KEY (country, code)
);

CREATE TABLE cns.cn_audit (
    id SERIAL NOT NULL, 
    order_id INTEGER, 
    PRIMARY KEY (id)
);
