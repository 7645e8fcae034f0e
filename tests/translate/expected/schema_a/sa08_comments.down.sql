COMMENT ON COLUMN sales.orders.customer_email IS NULL;

COMMENT ON TABLE sales.orders IS NULL;
