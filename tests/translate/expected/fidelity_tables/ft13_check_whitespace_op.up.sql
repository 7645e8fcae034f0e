ALTER TABLE ft_checked ADD CONSTRAINT ft_checked_hi CHECK (hi   >   lo
    OR  hi = 0);

ALTER TABLE ft_checked ADD CONSTRAINT ft_checked_text CHECK ( lo  <  999 );
