DROP TABLE ft_challenges;
