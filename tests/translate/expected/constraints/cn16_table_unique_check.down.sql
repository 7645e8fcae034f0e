DROP TABLE cn_products;
