/* Placeholder until the revfile module lands; keeps the build graph whole. */
extern int rt_placeholder_revfile;
int rt_placeholder_revfile;
