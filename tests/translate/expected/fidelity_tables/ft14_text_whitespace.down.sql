DROP INDEX ft_checked_hi_partial;

DROP INDEX ft_checked_lo_expr;

ALTER TABLE ft_checked DROP COLUMN created;
