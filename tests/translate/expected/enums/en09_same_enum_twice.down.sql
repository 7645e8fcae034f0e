DROP TABLE en_shared_b;

DROP TABLE en_shared_a;

DROP TYPE IF EXISTS en_level;
