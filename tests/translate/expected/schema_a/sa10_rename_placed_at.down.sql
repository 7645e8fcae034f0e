ALTER TABLE sales.orders RENAME ordered_at TO placed_at;
