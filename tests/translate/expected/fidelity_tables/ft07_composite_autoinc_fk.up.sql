CREATE TABLE ft_composite_autoinc_fk (
    challenge_id SERIAL NOT NULL, 
    seq INTEGER NOT NULL, 
    PRIMARY KEY (challenge_id, seq), 
    FOREIGN KEY(challenge_id) REFERENCES ft_challenges (id)
);
