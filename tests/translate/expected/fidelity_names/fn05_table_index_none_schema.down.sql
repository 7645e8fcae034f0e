DROP TABLE events.members;
