INSERT INTO ex_log (msg) VALUES ('escaped :colon');
