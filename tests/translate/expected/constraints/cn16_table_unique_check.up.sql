CREATE TABLE cn_products (
    id SERIAL NOT NULL, 
    sku VARCHAR(20) NOT NULL, 
    vendor VARCHAR(20), 
    price NUMERIC(10, 2), 
    qty INTEGER, 
    CONSTRAINT pk_cn_products PRIMARY KEY (id), 
    CONSTRAINT uq_cn_products_sku UNIQUE (sku), 
    UNIQUE (vendor, sku), 
    CONSTRAINT ck_cn_products_price CHECK (price > 0), 
    CHECK (qty >= 0)
);
