CREATE TABLE ex_settings (
            key   text PRIMARY KEY,
            value jsonb NOT NULL DEFAULT '{}'::jsonb
        );
