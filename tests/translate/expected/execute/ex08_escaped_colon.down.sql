DELETE FROM ex_log WHERE msg = 'escaped :colon';
