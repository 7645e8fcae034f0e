DO $body$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ex_reader') THEN
                CREATE ROLE ex_reader;
            END IF;
        END
        $body$;;
