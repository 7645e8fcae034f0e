CREATE TABLE cn_run (
    id SERIAL NOT NULL, 
    parent_task_id INTEGER, 
    state_id INTEGER, 
    PRIMARY KEY (id)
);

CREATE TABLE cn_task (
    id SERIAL NOT NULL, 
    run_id INTEGER, 
    PRIMARY KEY (id), 
    FOREIGN KEY(run_id) REFERENCES cn_run (id)
);

ALTER TABLE cn_run ADD COLUMN next_id INTEGER;

ALTER TABLE cn_run ADD FOREIGN KEY(next_id) REFERENCES cn_task (id);
