CREATE INDEX ix_fn_events_a_b_with_a_name_of_exactly_sixty_three_characters_ ON fn_events (a, b);
