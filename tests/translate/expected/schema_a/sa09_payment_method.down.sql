ALTER TABLE sales.orders DROP COLUMN payment_method;

DROP TYPE IF EXISTS sales.payment_method;
