INSERT INTO ex_settings (key) VALUES ('a'); INSERT INTO ex_settings (key) VALUES ('b');
