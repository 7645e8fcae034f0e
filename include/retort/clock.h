/*
 * Time for the whole library: one monotonic clock and one sleep that a
 * signal cuts short (Ctrl-C during a backoff or a --wait pause).
 */
#ifndef RETORT_CLOCK_H
#define RETORT_CLOCK_H

#include <signal.h>

#include "common.h"

/* Milliseconds on the monotonic clock (an arbitrary origin: for differences). */
double rt_clock_ms(void);

/*
 * Sleeps `seconds`, or less: returns false as soon as *interrupted is set
 * (a signal handler's flag; may be NULL), true when the time is up. A
 * signal wakes the sleep at once; the sleep also looks at the flag every
 * 100 ms, for a signal that arrived just before it began.
 */
bool rt_sleep(double seconds, const volatile sig_atomic_t *interrupted);

#endif
