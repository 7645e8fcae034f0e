DROP TABLE fo_items;
