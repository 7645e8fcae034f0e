CREATE UNIQUE INDEX ix_ev_tags_label ON ev_tags (label);

CREATE INDEX ix_ev_tags_created ON ev_tags (created_at, label);
