DROP TABLE ft_manual_challenge;
