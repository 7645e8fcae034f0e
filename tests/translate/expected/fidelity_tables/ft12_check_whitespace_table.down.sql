DROP TABLE ft_checked;
