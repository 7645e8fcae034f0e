DROP TABLE ec_posts;

DROP TYPE ec_kind;

DROP TYPE ec_status;
