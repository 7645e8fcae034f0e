DROP INDEX ix_fn_events_event_id;
