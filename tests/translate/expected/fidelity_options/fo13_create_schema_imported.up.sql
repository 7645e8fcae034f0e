CREATE SCHEMA "FoArchive";

CREATE SCHEMA fo_archive_2;
