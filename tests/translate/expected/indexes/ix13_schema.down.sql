DROP INDEX ixs.ix_ixs_logs_level;
