DROP TABLE cn_lines;
