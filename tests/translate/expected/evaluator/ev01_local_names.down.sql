DROP TABLE ev_items;
