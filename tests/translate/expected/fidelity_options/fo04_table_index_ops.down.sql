DROP TABLE fo_docs;
