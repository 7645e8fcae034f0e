CREATE TABLE catalog.products (
    id BIGINT GENERATED ALWAYS AS IDENTITY, 
    sku VARCHAR(32) NOT NULL, 
    name VARCHAR(200) NOT NULL, 
    price NUMERIC(10, 2) DEFAULT '0' NOT NULL, 
    created_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT ck_products_price CHECK (price >= 0), 
    UNIQUE (sku)
);

COMMENT ON TABLE catalog.products IS 'sellable items';

COMMENT ON COLUMN catalog.products.name IS 'shown to customers';
