INSERT INTO catalog.categories (name, parent_id) VALUES ('Books', NULL);

INSERT INTO catalog.categories (name, parent_id) VALUES ('Music', NULL);
