CREATE INDEX ix_fn_events_event_id ON fn_events (event_id, name);
