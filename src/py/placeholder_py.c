/* Placeholder until the py module lands; keeps the build graph whole. */
extern int rt_placeholder_py;
int rt_placeholder_py;
