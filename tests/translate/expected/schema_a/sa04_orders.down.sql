DROP TABLE sales.orders;

DROP TYPE IF EXISTS sales.order_status;
