/* Placeholder until the crypto module lands; keeps the build graph whole. */
extern int rt_placeholder_crypto;
int rt_placeholder_crypto;
