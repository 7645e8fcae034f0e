DROP VIEW ex_recent  -- gone;
