ALTER TABLE ft_checked DROP COLUMN created;
