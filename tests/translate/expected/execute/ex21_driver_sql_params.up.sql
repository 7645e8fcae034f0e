UPDATE ex_levels SET name = 'it''s', visible = true WHERE name LIKE 'x%';

UPDATE ex_levels SET weight = 2 WHERE name IN ('a', 'b') AND weight = NULL;

UPDATE ex_levels SET name = 'one %';

UPDATE ex_levels SET weight = 3 WHERE name = ANY(ARRAY['a','b']);

UPDATE ex_levels SET weight = 4 WHERE name = 'z';

