CREATE TABLE ft_dynamic_challenge (
    id INTEGER NOT NULL, 
    initial INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(id) REFERENCES ft_challenges (id) ON DELETE CASCADE
);
