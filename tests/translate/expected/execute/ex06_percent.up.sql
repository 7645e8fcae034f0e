INSERT INTO ex_log (msg) VALUES ('100% done');
