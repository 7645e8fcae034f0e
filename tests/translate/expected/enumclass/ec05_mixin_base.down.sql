DROP TABLE ec_members;

DROP TYPE ec_role;
