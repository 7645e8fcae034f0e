DELETE FROM ex_log WHERE msg = 'via connection';

UPDATE ex_log SET msg = lower(msg) WHERE msg = 'INSTALLED';
