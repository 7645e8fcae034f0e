DROP INDEX "ix_Items_Order";

ALTER TABLE ix_items DROP COLUMN "Order";
