DROP TABLE ft_duplicated_enum;

DROP TYPE ft_dup_state;
