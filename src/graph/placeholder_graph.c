/* Placeholder until the graph module lands; keeps the build graph whole. */
extern int rt_placeholder_graph;
int rt_placeholder_graph;
