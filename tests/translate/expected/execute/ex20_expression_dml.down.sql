DELETE FROM ex_acct;

DROP TABLE ex_acct;
