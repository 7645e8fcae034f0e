ALTER TABLE co_people RENAME years TO age;
