DROP INDEX events.ix_events_roles_event_id;
