CREATE TABLE "ExMixed" ("Id" integer PRIMARY KEY, "Note" text);

INSERT INTO "ExMixed" VALUES (1, E'line one\nline two; still one');
