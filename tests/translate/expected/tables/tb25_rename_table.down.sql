ALTER TABLE tb_nullable_renamed RENAME TO tb_nullable;
