ALTER TABLE co_people RENAME "Position" TO "order";

ALTER TABLE co_people DROP COLUMN "order";
