DROP TABLE ft_ignore_fk;
