INSERT INTO users (id, email, display_name) VALUES (0, 'system@example.invalid', 'System');

UPDATE posts SET published = true WHERE meta ? 'published_at';
