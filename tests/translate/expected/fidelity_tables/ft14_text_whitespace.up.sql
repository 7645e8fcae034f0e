ALTER TABLE ft_checked ADD COLUMN created TIMESTAMP WITHOUT TIME ZONE DEFAULT  now();

CREATE INDEX ft_checked_lo_expr ON ft_checked ( (lo  +  hi) ) WHERE   hi  >  0;

CREATE INDEX ft_checked_hi_partial ON ft_checked (hi) WHERE  lo > 1;
