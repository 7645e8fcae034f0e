CREATE TYPE en_order_status AS ENUM ('NEW', 'PAID', 'SHIPPED');

CREATE TABLE en_orders (
    id SERIAL NOT NULL, 
    status en_order_status DEFAULT 'NEW' NOT NULL, 
    PRIMARY KEY (id)
);
