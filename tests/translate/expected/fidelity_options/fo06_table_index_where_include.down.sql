DROP TABLE fo_notes;
