CREATE INDEX ix_ev_items_alpha ON ev_items (alpha);

CREATE INDEX ix_ev_items_beta ON ev_items (beta);

UPDATE ev_items SET alpha = '{a}' WHERE rank > 5;
