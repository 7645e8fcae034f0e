-- reason: retort executes online, so context.is_offline_mode() is False for it and it runs
-- the branch Alembic runs online; Alembic's --sql output shows the offline branch instead.
-- The expected text is the online branch's op.execute string.
-- deliberate: context.is_offline_mode()
-- alembic-1.8.1:
SELECT 'offline: nothing to check';

-- expected:
UPDATE ev_items SET gamma = 'checked' WHERE gamma IS NULL;
