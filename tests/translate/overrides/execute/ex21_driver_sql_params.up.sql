-- reason: SQLAlchemy 1.4 sends a SQL string given to conn.execute() or exec_driver_sql()
-- to psycopg2 with its parameters, {} when it has none, and psycopg2 formats the string
-- with them: %(name)s and %s become the values as psycopg2 adapts them, %% a percent sign
-- (checked with cursor.mogrify). Offline Alembic's mock connection prints the string
-- unformatted, and has no exec_driver_sql().
-- deliberate: Driver SQL parameters
-- alembic-1.8.1:
-- error: AttributeError: 'MockConnection' object has no attribute 'exec_driver_sql'
-- expected:
UPDATE ex_levels SET name = 'it''s', visible = true WHERE name LIKE 'x%';

UPDATE ex_levels SET weight = 2 WHERE name IN ('a', 'b') AND weight = NULL;

UPDATE ex_levels SET name = 'one %';

UPDATE ex_levels SET weight = 3 WHERE name = ANY(ARRAY['a','b']);

UPDATE ex_levels SET weight = 4 WHERE name = 'z';

