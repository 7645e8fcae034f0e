DROP TABLE co_fetched2;

DROP TABLE co_fetched;
