DROP TABLE ft_autoinc_true_fk;
