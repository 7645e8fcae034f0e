DROP TABLE ty_datetime_tz;
