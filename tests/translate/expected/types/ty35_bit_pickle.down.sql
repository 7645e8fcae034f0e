DROP TABLE ty_bits;
