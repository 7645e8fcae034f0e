DROP INDEX ev_items_ab;
