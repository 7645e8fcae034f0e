DROP FUNCTION ex_touch();
