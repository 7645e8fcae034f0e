/* The monotonic clock and the interruptible sleep (include/retort/clock.h). */
#include <errno.h>
#include <time.h>

#include "retort/clock.h"

#define SLICE_MS 100.0

double rt_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static bool interrupted_now(const volatile sig_atomic_t *interrupted)
{
	return interrupted && *interrupted;
}

bool rt_sleep(double seconds, const volatile sig_atomic_t *interrupted)
{
	double end = rt_clock_ms() + seconds * 1e3;
	for (;;) {
		if (interrupted_now(interrupted))
			return false;
		double left = end - rt_clock_ms();
		if (left <= 0)
			return true;
		double slice = left < SLICE_MS ? left : SLICE_MS;
		struct timespec ts = {
			.tv_sec = 0,
			.tv_nsec = (long)(slice * 1e6),
		};
		/* EINTR: a signal ran its handler; the loop looks at the flag */
		if (nanosleep(&ts, NULL) != 0 && errno != EINTR)
			return !interrupted_now(interrupted);
	}
}
