DROP TABLE ft_duplicated_flags;
