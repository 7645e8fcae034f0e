DROP INDEX sales.ix_orders_pending;
