DROP TABLE fo_logs;
