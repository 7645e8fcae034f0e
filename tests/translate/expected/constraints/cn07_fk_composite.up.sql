ALTER TABLE cn_orders ADD CONSTRAINT fk_cn_orders_region FOREIGN KEY(region, region_code) REFERENCES cns.regions (country, code);
