CREATE SCHEMA fo_reports;

CREATE TABLE fo_reports.daily (
    id SERIAL NOT NULL, 
    PRIMARY KEY (id)
);
