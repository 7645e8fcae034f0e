INSERT INTO ex_log (msg) VALUES ('installed');
