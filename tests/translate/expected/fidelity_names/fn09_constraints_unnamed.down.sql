DROP TABLE fn_refs;

ALTER TABLE fn_events DROP CONSTRAINT fn_events_a_b_key;
