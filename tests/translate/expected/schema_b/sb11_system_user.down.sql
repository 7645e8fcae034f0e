DELETE FROM users WHERE id = 0;
