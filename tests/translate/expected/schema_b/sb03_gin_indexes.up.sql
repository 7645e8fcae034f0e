CREATE INDEX ix_posts_tags ON posts USING gin (tags);

CREATE INDEX ix_posts_meta ON posts USING gin (meta jsonb_path_ops);
