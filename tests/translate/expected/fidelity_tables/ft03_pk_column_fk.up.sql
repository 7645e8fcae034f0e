CREATE TABLE ft_manual_challenge (
    id INTEGER NOT NULL, 
    notes TEXT, 
    PRIMARY KEY (id), 
    FOREIGN KEY(id) REFERENCES ft_challenges (id)
);
