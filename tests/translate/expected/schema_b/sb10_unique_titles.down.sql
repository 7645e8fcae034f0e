ALTER TABLE posts DROP CONSTRAINT uq_posts_author_title;
