ALTER TABLE co_people ADD COLUMN "order" INTEGER DEFAULT 1 NOT NULL;

ALTER TABLE co_people RENAME "order" TO "Position";
