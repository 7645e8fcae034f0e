CREATE INDEX ix_fn_events_x ON fn_events (a);
