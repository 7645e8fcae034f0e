DROP TABLE cn_slots;
