/*
 * Fleets: one command run on many targets (databases, or the schemas of one
 * database) with bounded parallelism, a canary and stop-on-failure.
 *
 * Each running target is a child process (fork, no exec) that runs the
 * ordinary single-target path and exits with its exit status. Processes, not
 * threads: libpq, the signal handlers, the arenas and stdio of a run are then
 * private to it; a crash ends one target, not the fleet; and the parent,
 * which only polls pipes and waits, keeps a flat footprint however many
 * targets there are (at most `jobs` children exist at once). The children
 * share the version files and graph the parent loaded, copy-on-write.
 *
 * Nothing here prints: the children's output lines and the results reach
 * the caller through callbacks.
 */
#ifndef RETORT_FLEET_H
#define RETORT_FLEET_H

#include <signal.h>

#include "common.h"
#include "error.h"

/* What a child reports besides its exit status: filled in shared memory by
 * the child, read by the parent once the child has exited. Fixed size, so
 * nothing is allocated across the fork; longer texts are cut. */
typedef struct rt_fleet_report {
	char from[192]; /* e.g. the version rows before ("base" when empty) */
	char to[192];   /* the rows after */
	long steps;     /* steps run; -1 when the command runs none */
	char note[192]; /* a short word for the result column ("drift", "2 pending") */
} rt_fleet_report;

#define RT_FLEET_MAX_JOBS 64

typedef struct rt_fleet_opts {
	size_t n;               /* targets, numbered 0..n-1 */
	unsigned jobs;          /* how many run at once, 1..RT_FLEET_MAX_JOBS */
	size_t canary;          /* the first `canary` targets run one at a time; a
	                         * failure among them stops everything */
	bool continue_on_error; /* else the first failure launches nothing more
	                         * (running targets finish) */
	/* In the child, with stdout and stderr going to the parent: runs target
	 * i and returns its exit status (0 success). */
	int (*child)(void *ctx, size_t i, rt_fleet_report *rep);
	/* In the parent. on_line gets each complete line (without its newline) a
	 * child wrote, on stdout or stderr; on_done the exit status (signals:
	 * 128 + signal), the report and the wall time. */
	void (*on_start)(void *ctx, size_t i);
	void (*on_line)(void *ctx, size_t i, bool is_stderr, const char *line, size_t len);
	void (*on_done)(void *ctx, size_t i, int status, const rt_fleet_report *rep,
	                double seconds);
	void *ctx;
	/* Set by a signal handler: nothing more is launched and the signal is
	 * passed on to the running children, which roll back and exit. */
	const volatile sig_atomic_t *interrupted;
} rt_fleet_opts;

typedef struct rt_fleet_totals {
	size_t launched;   /* targets started (the rest were not run) */
	size_t failed;     /* ended with a non-zero status */
	int worst;         /* the highest exit status, 0 when all succeeded */
	bool stopped;      /* a failure (or a signal) kept targets from starting */
} rt_fleet_totals;

/* Runs the fleet. RT_OK once every launched child has ended (their statuses
 * are in *totals); RT_EOS when a pipe, fork or mmap failed (children already
 * running are waited for first). */
int rt_fleet_run(const rt_fleet_opts *opts, rt_fleet_totals *totals, rt_error *err);

#endif
