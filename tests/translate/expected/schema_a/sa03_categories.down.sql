ALTER TABLE catalog.products DROP CONSTRAINT fk_products_category;

ALTER TABLE catalog.products DROP COLUMN category_id;

DROP TABLE catalog.categories;
