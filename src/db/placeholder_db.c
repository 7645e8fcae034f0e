/* Placeholder until the db module lands; keeps the build graph whole. */
extern int rt_placeholder_db;
int rt_placeholder_db;
