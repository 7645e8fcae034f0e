ALTER TABLE ty_string DROP COLUMN c_jsonb;

ALTER TABLE ty_string DROP COLUMN c_arr;

ALTER TABLE ty_string DROP COLUMN c_ts;

ALTER TABLE ty_string DROP COLUMN c_num;

ALTER TABLE ty_string DROP COLUMN c_int;
