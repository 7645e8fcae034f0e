DROP TABLE en_points;

DROP TYPE en_axis;
