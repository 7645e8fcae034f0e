CREATE TABLE fo_tags (
    id SERIAL NOT NULL, 
    label TEXT, 
    PRIMARY KEY (id)
);

CREATE INDEX ix_fo_tags_label_lower ON fo_tags (lower(label));
