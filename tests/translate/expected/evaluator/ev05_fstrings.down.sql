UPDATE ev_items SET alpha = NULL WHERE alpha = '{a}';

DROP INDEX ix_ev_items_beta;

DROP INDEX ix_ev_items_alpha;
