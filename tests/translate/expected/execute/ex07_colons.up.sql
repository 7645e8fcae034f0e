INSERT INTO ex_log (msg) VALUES ('cast'::text);

INSERT INTO ex_log (msg, at) VALUES ('time 12:30', '2024-01-01 12:30:00+00');

INSERT INTO ex_log (msg) VALUES ('a:b');
