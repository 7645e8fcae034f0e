/* Placeholder until the sources module lands; keeps the build graph whole. */
extern int rt_placeholder_sources;
int rt_placeholder_sources;
