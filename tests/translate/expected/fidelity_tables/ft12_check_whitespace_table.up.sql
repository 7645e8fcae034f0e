CREATE TABLE ft_checked (
    id SERIAL NOT NULL, 
    lo INTEGER NOT NULL CHECK (lo  >=  0), 
    hi INTEGER NOT NULL, 
    PRIMARY KEY (id), 
    CONSTRAINT ft_checked_range CHECK (lo <= hi
    AND hi  <  1000), 
    CHECK (
            hi <> 13
        )
);
