CREATE TABLE parent (
    id SERIAL NOT NULL, 
    code VARCHAR(10), 
    a INTEGER, 
    b INTEGER, 
    CONSTRAINT pk_parent PRIMARY KEY (id), 
    CONSTRAINT ck_parent_positive CHECK (a > 0), 
    CONSTRAINT uq_parent_ab UNIQUE (a, b), 
    CONSTRAINT uq_parent_code UNIQUE (code)
);

CREATE INDEX ix_parent_a ON parent (a);

CREATE TABLE child (
    id SERIAL NOT NULL, 
    pid INTEGER, 
    qid INTEGER, 
    CONSTRAINT pk_child PRIMARY KEY (id), 
    CONSTRAINT fk_child_qid_parent FOREIGN KEY(qid) REFERENCES parent (id) ON DELETE CASCADE, 
    CONSTRAINT fk_child_pid_parent FOREIGN KEY(pid) REFERENCES parent (id)
);

CREATE INDEX ix_child_pid_qid ON child (pid, qid);
