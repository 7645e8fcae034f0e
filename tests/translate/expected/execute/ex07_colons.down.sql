DELETE FROM ex_log WHERE msg IN ('cast', 'time 12:30', 'a:b');
