DROP TABLE fo_tags;
