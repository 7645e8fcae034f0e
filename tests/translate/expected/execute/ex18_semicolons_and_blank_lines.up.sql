COMMENT ON TABLE ex_log IS 'append-only; never updated';;
