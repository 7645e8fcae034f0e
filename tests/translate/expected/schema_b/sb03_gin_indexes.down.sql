DROP INDEX ix_posts_meta;

DROP INDEX ix_posts_tags;
