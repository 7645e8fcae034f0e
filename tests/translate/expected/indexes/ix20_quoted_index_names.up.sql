ALTER TABLE ix_items ADD COLUMN "Order" INTEGER;

CREATE INDEX "ix_Items_Order" ON ix_items ("Order");
