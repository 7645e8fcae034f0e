CREATE TABLE "user" (
    id SERIAL NOT NULL, 
    "order" INTEGER, 
    "select" TEXT, 
    "DisplayName" VARCHAR(50), 
    type VARCHAR(10), 
    name VARCHAR(10), 
    "2fa" BOOLEAN, 
    PRIMARY KEY (id)
);
