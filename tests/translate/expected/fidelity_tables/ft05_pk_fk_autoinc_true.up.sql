CREATE TABLE ft_autoinc_true_fk (
    id BIGSERIAL NOT NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT ft_autoinc_true_fk_id_fkey FOREIGN KEY(id) REFERENCES ft_challenges (id)
);
