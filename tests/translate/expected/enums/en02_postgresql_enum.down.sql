DROP TABLE en_animals;

DROP TYPE IF EXISTS en_kind;
