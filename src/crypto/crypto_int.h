/* Shared inside src/crypto. */
#ifndef RETORT_CRYPTO_INT_H
#define RETORT_CRYPTO_INT_H

#include "retort/error.h"

/* sodium_init, once per process (it is idempotent and thread-safe): RT_OK, or
 * RT_ERROR when the system has no entropy source. */
int rt_crypto_init(rt_error *err);

#endif
