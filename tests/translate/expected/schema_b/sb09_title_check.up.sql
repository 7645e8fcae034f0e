ALTER TABLE posts ADD CONSTRAINT ck_posts_title CHECK (btrim(title) <> '');
