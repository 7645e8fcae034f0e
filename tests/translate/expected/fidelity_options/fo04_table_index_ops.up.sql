CREATE TABLE fo_docs (
    id SERIAL NOT NULL, 
    title TEXT, 
    owner INTEGER, 
    live BOOLEAN, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fo_docs_title_trgm ON fo_docs USING gin (title gin_trgm_ops);
