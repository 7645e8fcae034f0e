COMMENT ON TABLE ev_items IS 'ev_x/ev_y ev_y/ev_z ev_items/ev_x/ev_z ev_z/ev_y';

COMMENT ON TABLE ev_tags IS 'ev_x/ev_y ev_y/ev_z ev_items/ev_x/ev_z ev_z/ev_y';

COMMENT ON TABLE ev_items IS 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|60||ev_items';

COMMENT ON TABLE ev_tags IS 'crème|brûlée|e|12|eélûrb emèrc|rer';

COMMENT ON TABLE ev_items IS '2|è/m/e|ev_z/ev_y/ev_x|ev_items/ev_tags/ev_x/ev_y/ev_z';
