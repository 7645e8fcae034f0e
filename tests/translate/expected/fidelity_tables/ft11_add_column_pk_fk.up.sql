CREATE TABLE ft_empty (
    name TEXT
);

ALTER TABLE ft_empty ADD COLUMN id INTEGER NOT NULL;

ALTER TABLE ft_empty ADD FOREIGN KEY(id) REFERENCES ft_challenges (id);
