DROP TABLE ft_flags;
