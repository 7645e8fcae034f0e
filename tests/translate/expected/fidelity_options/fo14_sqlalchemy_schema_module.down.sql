DROP SCHEMA fo_quoted;
