ANALYZE ev_items;

ANALYZE ev_tags;

UPDATE ev_items SET rank = rank + 1;
