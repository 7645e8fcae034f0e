CREATE INDEX ex_log_msg_trgm ON ex_log USING btree (lower(msg));
