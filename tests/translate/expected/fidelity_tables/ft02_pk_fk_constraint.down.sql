DROP TABLE ft_dynamic_challenge;
