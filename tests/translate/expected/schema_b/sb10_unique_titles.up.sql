ALTER TABLE posts ADD CONSTRAINT uq_posts_author_title UNIQUE (author_id, title) DEFERRABLE INITIALLY DEFERRED;
