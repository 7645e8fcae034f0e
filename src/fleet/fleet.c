/*
 * The fleet scheduler (include/retort/fleet.h): forks one child per running
 * target, at most opts->jobs at once, reads their output through pipes with
 * poll() and reaps them. Reports travel through one shared page per slot.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "retort/buf.h"
#include "retort/clock.h"
#include "retort/fleet.h"

/* One running child. */
struct slot {
	pid_t pid;            /* 0: free */
	size_t target;
	int fd[2];            /* stdout, stderr read ends; -1 once at EOF */
	rt_buf line[2];       /* a partial line from each */
	double started;       /* rt_clock_ms at launch */
};

struct fleet {
	const rt_fleet_opts *o;
	struct slot *slots;
	rt_fleet_report *reports; /* shared with the children, one per slot */
	rt_fleet_totals *t;
	bool canary_failed;
};

static int os_error(rt_error *err, const char *what)
{
	return rt_error_set(err, RT_EOS, NULL, "%s failed: %s", what, strerror(errno));
}

/* In the child: stdout and stderr into the pipes, the other slots' read
 * ends closed, then the target's run. Never returns. */
static void run_child(struct fleet *f, size_t s, const int w[2])
{
	for (size_t i = 0; i < f->o->jobs; i++)
		for (int k = 0; k < 2; k++)
			if (f->slots[i].fd[k] >= 0)
				close(f->slots[i].fd[k]);
	dup2(w[0], STDOUT_FILENO);
	dup2(w[1], STDERR_FILENO);
	close(w[0]);
	close(w[1]);
	rt_fleet_report *rep = &f->reports[s];
	memset(rep, 0, sizeof(*rep));
	rep->steps = -1;
	int status = f->o->child(f->o->ctx, f->slots[s].target, rep);
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

static int launch(struct fleet *f, size_t s, size_t target, rt_error *err)
{
	int out[2], errp[2];
	if (pipe(out) < 0)
		return os_error(err, "pipe");
	if (pipe(errp) < 0) {
		close(out[0]);
		close(out[1]);
		return os_error(err, "pipe");
	}
	struct slot *sl = &f->slots[s];
	sl->target = target;
	/* what the parent buffered would otherwise be written twice */
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(out[0]), close(out[1]), close(errp[0]), close(errp[1]);
		errno = e;
		return os_error(err, "fork");
	}
	if (pid == 0)
		run_child(f, s, (const int[2]){ out[1], errp[1] });
	close(out[1]);
	close(errp[1]);
	sl->pid = pid;
	sl->fd[0] = out[0];
	sl->fd[1] = errp[0];
	sl->started = rt_clock_ms();
	f->t->launched++;
	if (f->o->on_start)
		f->o->on_start(f->o->ctx, target);
	return RT_OK;
}

/* Hands on every complete line in b, keeping the rest (or all of it at EOF). */
static void flush_lines(struct fleet *f, struct slot *sl, int k, bool eof)
{
	rt_buf *b = &sl->line[k];
	size_t start = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (b->ptr[i] != '\n')
			continue;
		if (f->o->on_line)
			f->o->on_line(f->o->ctx, sl->target, k == 1, b->ptr + start, i - start);
		start = i + 1;
	}
	if (eof && start < b->len && f->o->on_line)
		f->o->on_line(f->o->ctx, sl->target, k == 1, b->ptr + start, b->len - start);
	size_t rest = eof ? 0 : b->len - start;
	if (rest) /* an empty buffer has no storage: memmove(NULL, ...) is undefined */
		memmove(b->ptr, b->ptr + start, rest);
	rt_buf_truncate(b, rest);
}

static void read_fd(struct fleet *f, struct slot *sl, int k)
{
	char chunk[4096];
	ssize_t got = read(sl->fd[k], chunk, sizeof(chunk));
	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (got > 0) {
		rt_buf_add(&sl->line[k], chunk, (size_t)got);
		flush_lines(f, sl, k, false);
		return;
	}
	flush_lines(f, sl, k, true);
	close(sl->fd[k]);
	sl->fd[k] = -1;
}

/* Waits for a child whose pipes are closed and reports it. Returns its status. */
static int reap(struct fleet *f, size_t s)
{
	struct slot *sl = &f->slots[s];
	int ws = 0, status;
	while (waitpid(sl->pid, &ws, 0) < 0 && errno == EINTR)
		;
	status = WIFEXITED(ws) ? WEXITSTATUS(ws) : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : 1;
	if (status) {
		f->t->failed++;
		if (sl->target < f->o->canary)
			f->canary_failed = true;
		if (status > f->t->worst)
			f->t->worst = status;
	}
	if (f->o->on_done)
		f->o->on_done(f->o->ctx, sl->target, status, &f->reports[s],
		              (rt_clock_ms() - sl->started) / 1e3);
	sl->pid = 0;
	return status;
}

/* One poll round over the running children: their output handed on, the
 * finished ones reaped. Returns how many of those failed. The first signal
 * seen is passed on to the children. */
static size_t poll_round(struct fleet *f, unsigned *running, bool *interrupted_seen)
{
	unsigned jobs = f->o->jobs;
	struct pollfd pfd[2 * RT_FLEET_MAX_JOBS];
	size_t owner[2 * RT_FLEET_MAX_JOBS], npfd = 0;
	for (size_t s = 0; s < jobs; s++)
		for (int k = 0; k < 2; k++)
			if (f->slots[s].pid && f->slots[s].fd[k] >= 0) {
				pfd[npfd] = (struct pollfd){ .fd = f->slots[s].fd[k], .events = POLLIN };
				owner[npfd++] = s * 2 + (size_t)k;
			}
	size_t failures = 0;
	if (npfd && poll(pfd, npfd, -1) < 0 && errno != EINTR)
		return 0;
	if (f->o->interrupted && *f->o->interrupted && !*interrupted_seen) {
		*interrupted_seen = true;
		for (size_t s = 0; s < jobs; s++)
			if (f->slots[s].pid)
				kill(f->slots[s].pid, (int)*f->o->interrupted);
	}
	for (size_t i = 0; i < npfd; i++)
		if (pfd[i].revents)
			read_fd(f, &f->slots[owner[i] / 2], (int)(owner[i] % 2));
	for (size_t s = 0; s < jobs; s++) {
		struct slot *sl = &f->slots[s];
		if (sl->pid && sl->fd[0] < 0 && sl->fd[1] < 0) {
			failures += reap(f, s) != 0;
			(*running)--;
		}
	}
	return failures;
}

static size_t free_slot(const struct fleet *f)
{
	for (size_t s = 0; s < f->o->jobs; s++)
		if (!f->slots[s].pid)
			return s;
	return f->o->jobs;
}

int rt_fleet_run(const rt_fleet_opts *o, rt_fleet_totals *t, rt_error *err)
{
	memset(t, 0, sizeof(*t));
	if (o->jobs < 1 || o->jobs > RT_FLEET_MAX_JOBS)
		return rt_error_set(err, RT_EUSAGE, NULL, "from 1 to %d targets can run at once",
		                    RT_FLEET_MAX_JOBS);
	struct slot slots[RT_FLEET_MAX_JOBS];
	memset(slots, 0, sizeof(slots));
	for (size_t s = 0; s < o->jobs; s++)
		slots[s].fd[0] = slots[s].fd[1] = -1;
	size_t map_len = sizeof(rt_fleet_report) * o->jobs;
	rt_fleet_report *reports = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
	                                MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (reports == MAP_FAILED)
		return os_error(err, "mmap");
	struct fleet f = { o, slots, reports, t };
	size_t next = 0;
	unsigned running = 0;
	bool stop = false, interrupted_seen = false;
	int rc = RT_OK;
	for (;;) {
		if (o->interrupted && *o->interrupted)
			stop = true;
		/* each canary runs alone, and the rest wait for the last one */
		while (!stop && rc == RT_OK && next < o->n &&
		       running < (o->canary && next <= o->canary ? 1u : o->jobs)) {
			rc = launch(&f, free_slot(&f), next, err);
			if (rc == RT_OK) {
				next++;
				running++;
			}
		}
		if (!running)
			break;
		size_t failures = poll_round(&f, &running, &interrupted_seen);
		if (f.canary_failed || (failures && !o->continue_on_error))
			stop = true;
	}
	t->stopped = next < o->n;
	for (size_t s = 0; s < o->jobs; s++)
		for (int k = 0; k < 2; k++)
			rt_buf_release(&slots[s].line[k]);
	munmap(reports, map_len);
	return rc;
}
