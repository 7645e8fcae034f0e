DELETE FROM ex_settings WHERE key = 'a'; DELETE FROM ex_settings WHERE key = 'b';;
