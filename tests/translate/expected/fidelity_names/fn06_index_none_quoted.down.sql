DROP INDEX "ix_fn_events_Kind";
