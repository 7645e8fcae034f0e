CREATE TABLE ex_log (id serial PRIMARY KEY, msg text NOT NULL, at timestamptz DEFAULT now());
