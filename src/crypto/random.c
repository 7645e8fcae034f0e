/* Retry jitter from libsodium (include/retort/random.h). */
#include <sodium.h>

#include "retort/random.h"

double rt_random_unit(void)
{
	/* sodium_init is idempotent; it fails only without an entropy source,
	 * and a jitter of its middle value then keeps the retry going */
	if (sodium_init() < 0)
		return 0.5;
	return (double)randombytes_random() / 4294967296.0;
}

bool rt_random_bytes(void *buf, size_t n)
{
	if (sodium_init() < 0)
		return false;
	randombytes_buf(buf, n);
	return true;
}
