DROP INDEX ix_users_display_name;

DROP TABLE users;
