ALTER TABLE ec_widgets ADD COLUMN size VARCHAR(11);

UPDATE ec_widgets SET size = 'medium';
