CREATE SCHEMA fo_quoted;
