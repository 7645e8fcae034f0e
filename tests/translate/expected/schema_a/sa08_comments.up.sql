COMMENT ON TABLE sales.orders IS 'customer orders';

COMMENT ON COLUMN sales.orders.customer_email IS 'where receipts go';
