DROP TABLE ec_widgets;

DROP TYPE color;
