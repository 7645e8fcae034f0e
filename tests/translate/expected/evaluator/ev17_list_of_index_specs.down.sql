DROP INDEX ix_ev_tags_created;

DROP INDEX ix_ev_tags_label;
