UPDATE ex_log SET msg = upper(msg) WHERE msg = 'installed';

INSERT INTO ex_log (msg) VALUES ('via connection');
