CREATE TABLE ft_challenge_tags (
    challenge_id INTEGER NOT NULL, 
    tag_id INTEGER NOT NULL, 
    PRIMARY KEY (challenge_id, tag_id), 
    FOREIGN KEY(challenge_id) REFERENCES ft_challenges (id)
);
