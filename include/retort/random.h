/*
 * Randomness for spreading retries: drawn from libsodium's generator, which
 * each process seeds from the system, so runners started together (even
 * on several hosts) draw different sequences.
 */
#ifndef RETORT_RANDOM_H
#define RETORT_RANDOM_H

#include "common.h"

/* A uniform number in [0, 1). 0.5 when the system has no entropy source. */
double rt_random_unit(void);

/* n random bytes (uuid.uuid4() of a version file); false when the system
 * has no entropy source. */
bool rt_random_bytes(void *buf, size_t n);

#endif
