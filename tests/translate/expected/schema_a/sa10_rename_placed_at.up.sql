ALTER TABLE sales.orders RENAME placed_at TO ordered_at;
