CREATE INDEX ix_orders_pending ON sales.orders (placed_at) WHERE status = 'pending';
