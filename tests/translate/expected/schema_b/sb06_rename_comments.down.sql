ALTER TABLE post_comments RENAME TO comments;
