DROP INDEX sales.ix_order_lines_product;

DROP TABLE sales.order_lines;
