ALTER TABLE tb_nullable RENAME TO tb_nullable_renamed;
