ALTER TABLE co_people RENAME age TO years;
