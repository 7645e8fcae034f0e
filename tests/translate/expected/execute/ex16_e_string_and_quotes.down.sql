DROP TABLE "ExMixed";
