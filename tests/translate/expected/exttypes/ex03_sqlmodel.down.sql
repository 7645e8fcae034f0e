ALTER TABLE ex_user DROP COLUMN title;

DROP INDEX ix_ex_user_email;

DROP TABLE ex_user;
