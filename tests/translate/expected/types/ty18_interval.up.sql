CREATE TABLE ty_interval (
    id SERIAL NOT NULL, 
    v INTERVAL, 
    w INTERVAL DAY TO SECOND, 
    x INTERVAL, 
    PRIMARY KEY (id)
);
