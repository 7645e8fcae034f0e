CREATE TABLE ec_priorities (
    id SERIAL NOT NULL, 
    name VARCHAR(20) NOT NULL, 
    PRIMARY KEY (id)
);

INSERT INTO ec_priorities (id, name) VALUES (1, 'low');

INSERT INTO ec_priorities (id, name) VALUES (2, 'normal');

INSERT INTO ec_priorities (id, name) VALUES (10, 'high');

INSERT INTO ec_priorities (id, name) VALUES (11, 'urgent');

COMMENT ON TABLE ec_priorities IS '4 levels, 3 channels: email, sms, push';

UPDATE ec_priorities SET name = name || '/email' WHERE id = 2;

UPDATE ec_priorities SET name = upper(name) WHERE id = 10;

UPDATE ec_priorities SET name = name || '/sms' WHERE id = 2;

DELETE FROM ec_priorities WHERE id > 11;
