ALTER TABLE ft_checked DROP CONSTRAINT ft_checked_text;

ALTER TABLE ft_checked DROP CONSTRAINT ft_checked_hi;
