-- the view lists recent log lines
        CREATE VIEW ex_recent AS
        SELECT id, msg /* message text */, at
        FROM ex_log
        WHERE at > now() - interval '1 day';
