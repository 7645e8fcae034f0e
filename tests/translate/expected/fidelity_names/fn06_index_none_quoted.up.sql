CREATE INDEX "ix_fn_events_Kind" ON fn_events ("Kind");
