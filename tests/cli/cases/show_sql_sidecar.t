# show --sql prints a sidecar's statements exactly
cd: migrations-example
run: retort show f3c513eae268 --sql
--- exit
0
--- stdout
ALTER TABLE projects ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL;

ALTER TABLE tasks ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT now() NOT NULL;

-- Keeps updated_at honest whatever code path writes the row.
CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
		NEW.updated_at = now();
	END IF;
	RETURN NEW;
END
$$;

CREATE TRIGGER trg_projects_updated_at BEFORE UPDATE ON projects
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TRIGGER trg_tasks_updated_at BEFORE UPDATE ON tasks
	FOR EACH ROW EXECUTE FUNCTION set_updated_at();

--- stderr
