DROP TABLE ft_reflected;
