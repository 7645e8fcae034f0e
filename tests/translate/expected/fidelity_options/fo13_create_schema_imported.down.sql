DROP SCHEMA fo_archive_2;

DROP SCHEMA "FoArchive";
