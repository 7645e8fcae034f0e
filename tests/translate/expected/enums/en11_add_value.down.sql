DELETE FROM en_pets WHERE mood = 'meh';

ALTER TYPE en_mood RENAME TO en_mood_old;

CREATE TYPE en_mood AS ENUM ('happy', 'sad');

ALTER TABLE en_pets ALTER COLUMN mood TYPE en_mood USING mood::text::en_mood;

DROP TYPE en_mood_old;
