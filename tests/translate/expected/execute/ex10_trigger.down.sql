DROP TRIGGER ex_log_touch ON ex_log;
