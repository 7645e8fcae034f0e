DROP TABLE ft_numeric_pk;
