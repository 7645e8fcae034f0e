ALTER TABLE cn_run DROP COLUMN next_id;

DROP TABLE cn_task;

DROP TABLE cn_run;
