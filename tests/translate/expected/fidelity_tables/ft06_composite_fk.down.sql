DROP TABLE ft_challenge_tags;
