ALTER TABLE ex_log ADD COLUMN level varchar(10) DEFAULT 'info' NOT NULL;
