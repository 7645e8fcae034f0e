DROP INDEX "ix_fn_events_lower(name)";
