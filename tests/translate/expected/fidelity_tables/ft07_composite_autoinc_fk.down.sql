DROP TABLE ft_composite_autoinc_fk;
