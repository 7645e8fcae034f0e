DROP TABLE ft_duplicated_pk;
