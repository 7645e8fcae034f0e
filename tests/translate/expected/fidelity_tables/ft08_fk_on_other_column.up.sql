CREATE TABLE ft_flags (
    id SERIAL NOT NULL, 
    challenge_id INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(challenge_id) REFERENCES ft_challenges (id)
);
