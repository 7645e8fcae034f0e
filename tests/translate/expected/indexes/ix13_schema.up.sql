CREATE INDEX ix_ixs_logs_level ON ixs.logs (level);
