CREATE TABLE sales.order_lines (
    order_id BIGINT NOT NULL, 
    line_no SMALLINT NOT NULL, 
    product_id BIGINT NOT NULL, 
    qty INTEGER DEFAULT 1 NOT NULL, 
    unit_price NUMERIC(10, 2) NOT NULL, 
    CONSTRAINT pk_order_lines PRIMARY KEY (order_id, line_no), 
    CONSTRAINT fk_order_lines_order FOREIGN KEY(order_id) REFERENCES sales.orders (id) ON DELETE CASCADE, 
    CONSTRAINT fk_order_lines_product FOREIGN KEY(product_id) REFERENCES catalog.products (id), 
    CONSTRAINT ck_order_lines_qty CHECK (qty > 0)
);

CREATE INDEX ix_order_lines_product ON sales.order_lines (product_id);
