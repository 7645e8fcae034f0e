DROP TABLE ft_duplicated;
