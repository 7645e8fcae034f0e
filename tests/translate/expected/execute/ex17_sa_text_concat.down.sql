DROP INDEX ex_log_msg_trgm;
