DROP TABLE en_pets;

DROP TYPE IF EXISTS en_mood;
