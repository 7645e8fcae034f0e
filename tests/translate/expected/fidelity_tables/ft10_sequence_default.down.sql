DROP TABLE ft_sequence_optional_kw;

DROP TABLE ft_sequence_default_kw;

DROP TABLE ft_sequence_default;
