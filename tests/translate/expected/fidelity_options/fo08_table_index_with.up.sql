CREATE TABLE fo_logs (
    id SERIAL NOT NULL, 
    at TIMESTAMP WITHOUT TIME ZONE, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fo_logs_at ON fo_logs USING brin (at) WITH (pages_per_range = 16) TABLESPACE pg_default;
