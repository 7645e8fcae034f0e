CREATE TABLE ty_text_upper (
    id SERIAL NOT NULL, 
    v TEXT, 
    PRIMARY KEY (id)
);
