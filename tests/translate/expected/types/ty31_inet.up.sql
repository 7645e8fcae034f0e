CREATE TABLE ty_inet (
    id SERIAL NOT NULL, 
    v INET, 
    PRIMARY KEY (id)
);
