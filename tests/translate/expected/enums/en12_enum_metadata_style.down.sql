DROP TABLE en_orders;

DROP TYPE en_order_status;
