CREATE TABLE en_switches (
    id SERIAL NOT NULL, 
    position VARCHAR(3), 
    PRIMARY KEY (id), 
    CONSTRAINT en_onoff CHECK (position IN ('on', 'off'))
);
