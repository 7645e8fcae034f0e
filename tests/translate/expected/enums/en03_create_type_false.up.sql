DO $retort$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typname = 'en_axis' AND pg_catalog.pg_type_is_visible(t.oid)) THEN CREATE TYPE en_axis AS ENUM ('x', 'y'); END IF; END $retort$;

CREATE TABLE en_points (
    id SERIAL NOT NULL, 
    axis en_axis NOT NULL, 
    PRIMARY KEY (id)
);
