CREATE UNIQUE INDEX ix_events_roles_event_id ON events.roles (event_id);
