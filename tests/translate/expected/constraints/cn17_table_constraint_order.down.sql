DROP TABLE cn_mixed;
