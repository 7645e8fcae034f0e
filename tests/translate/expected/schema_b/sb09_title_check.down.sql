ALTER TABLE posts DROP CONSTRAINT ck_posts_title;
