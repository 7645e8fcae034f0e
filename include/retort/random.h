/*
 * Randomness for spreading retries: drawn from libsodium's generator, which
 * each process seeds from the system, so runners started together (even
 * on several hosts) draw different sequences.
 */
#ifndef RETORT_RANDOM_H
#define RETORT_RANDOM_H

/* A uniform number in [0, 1). 0.5 when the system has no entropy source. */
double rt_random_unit(void);

#endif
