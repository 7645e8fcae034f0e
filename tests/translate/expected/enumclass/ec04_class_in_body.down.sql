ALTER TABLE ec_widgets DROP COLUMN size;
