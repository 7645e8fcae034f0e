DROP TABLE ft_empty;
