CREATE TYPE ec_role AS ENUM ('Owner', 'Viewer');

CREATE TABLE ec_members (
    id SERIAL NOT NULL, 
    role ec_role NOT NULL, 
    note TEXT, 
    PRIMARY KEY (id)
);

INSERT INTO ec_members (id, role, note) VALUES (14, 'Viewer', 'Component.Overlay: overlay-config');

INSERT INTO ec_members (id, role, note) VALUES (13, 'Viewer', 'Component.Banner: banner-config');

UPDATE ec_members SET role = 'Owner', note = 'viewer';
