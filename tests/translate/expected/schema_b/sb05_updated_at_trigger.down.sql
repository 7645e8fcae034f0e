DROP TRIGGER posts_updated_at ON posts;

DROP FUNCTION set_updated_at();

ALTER TABLE posts DROP COLUMN updated_at;
