DROP TABLE en_moves;
