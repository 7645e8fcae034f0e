CREATE OR REPLACE FUNCTION ex_touch() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.at := now();  -- keep the time current
        RETURN NEW;
    END;
    $$;
