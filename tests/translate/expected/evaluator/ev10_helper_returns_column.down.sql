DROP TABLE ev_tags;
