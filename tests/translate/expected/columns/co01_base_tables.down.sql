DROP TABLE cos.items;

DROP SCHEMA cos;

DROP TABLE co_teams;

DROP TABLE co_people;
