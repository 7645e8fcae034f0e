/* Placeholder until the config module lands; keeps the build graph whole. */
extern int rt_placeholder_config;
int rt_placeholder_config;
