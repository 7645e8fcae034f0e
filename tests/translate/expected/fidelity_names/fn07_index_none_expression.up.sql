CREATE INDEX "ix_fn_events_lower(name)" ON fn_events (lower(name));
