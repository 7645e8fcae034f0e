DROP TABLE en_phrases;

DROP TYPE IF EXISTS en_phrase;
