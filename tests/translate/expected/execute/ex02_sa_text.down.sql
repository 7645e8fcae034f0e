DELETE FROM ex_log WHERE msg = 'installed';
