/* Placeholder until the sql module lands; keeps the build graph whole. */
extern int rt_placeholder_sql;
int rt_placeholder_sql;
