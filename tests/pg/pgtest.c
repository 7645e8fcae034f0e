/* Test-server plumbing shared by tests/pg: databases per case, URLs, child processes. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pgtest.h"

static const char *base_url(void)
{
	static char buf[512];
	const char *url = getenv("RETORT_TEST_URL");
	if (url && *url)
		return url;
	const char *host = getenv("PGHOST"), *port = getenv("PGPORT");
	if (!host || !port)
		return NULL;
	snprintf(buf, sizeof(buf), "host=%s port=%s user=postgres dbname=postgres", host, port);
	return buf;
}

static bool in_ci(void)
{
	const char *ci = getenv("CI");
	return ci && strcmp(ci, "true") == 0;
}

int pgt_check_env(void)
{
	if (base_url())
		return 0;
	fprintf(stderr, "no test server: set RETORT_TEST_URL (tests/pg/run-pg-tests.sh does)\n");
	return in_ci() ? 1 : 77;
}

void pgt_skip_or_fail(const char *why)
{
	if (in_ci())
		fail_msg("%s (CI=true: nothing may be skipped)", why);
	fprintf(stderr, "skipped: %s\n", why);
	skip();
}

const char *pgt_url_for(rt_arena *arena, const char *dbname)
{
	const char *base = base_url();
	const char *sep = strstr(base, "://");
	if (!sep)
		return rt_sprintf(arena, "%s dbname=%s", base, dbname);
	const char *path = strchr(sep + 3, '/');
	size_t n = path ? (size_t)(path - base) : strlen(base);
	return rt_sprintf(arena, "%.*s/%s", (int)n, base, dbname);
}

rt_db *pgt_connect(pgt *t, const char *url)
{
	rt_db_opts opts = { .url = url };
	rt_db *db = NULL;
	rt_error err = RT_ERROR_INIT;
	int rc = rt_db_connect(&db, t->arena, &opts, &err);
	if (rc != RT_OK)
		fail_msg("connect to '%s': %s", url, err.message);
	rt_error_clear(&err);
	return db;
}

const char *pgt_sql(pgt *t, rt_db *db, const char *sql)
{
	rt_db_result res;
	rt_error err = RT_ERROR_INIT;
	if (rt_db_exec(db, t->arena, sql, &res, &err) != RT_OK)
		fail_msg("'%s' failed: %s", sql, err.message);
	rt_error_clear(&err);
	return rt_db_value(&res, 0, 0);
}

int pgt_setup(void **state)
{
	static unsigned counter;
	pgt *t = calloc(1, sizeof(*t));
	t->arena = rt_arena_new();
	snprintf(t->dbname, sizeof(t->dbname), "rt_test_%ld_%u", (long)getpid(), counter++);
	rt_db *admin = pgt_connect(t, base_url());
	pgt_sql(t, admin, rt_sprintf(t->arena, "CREATE DATABASE %s", t->dbname));
	rt_db_close(admin);
	t->url = pgt_url_for(t->arena, t->dbname);
	t->db = pgt_connect(t, t->url);
	*state = t;
	return 0;
}

int pgt_teardown(void **state)
{
	pgt *t = *state;
	rt_db_close(t->db);
	rt_db *admin = pgt_connect(t, base_url());
	pgt_sql(t, admin, rt_sprintf(t->arena, "DROP DATABASE %s WITH (FORCE)", t->dbname));
	rt_arena_free(t->arena);
	free(t);
	return 0;
}

int pgt_free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof(sa);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

int pgt_run(const char *const argv[], rt_buf *out)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		close(fds[1]);
		char *args[64]; /* execvp's argv is not const: copies, in the child only */
		size_t n = 0;
		for (; argv[n] && n < 63; n++)
			args[n] = rt_xstrdup(argv[n]);
		args[n] = NULL;
		execvp(args[0], args);
		_exit(127);
	}
	close(fds[1]);
	char chunk[4096];
	ssize_t n;
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
		if (out)
			rt_buf_add(out, chunk, (size_t)n);
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
