/*
 * Benchmark: rt_project_load on a generated project of 1000 version files
 * (one in ten with a sidecar). Prints the first and the best of 5 runs.
 * `meson test --benchmark sources_project_1000`.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "retort/project.h"
#include "retort/sqlsplit.h"

#define NFILES 1000

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int generate(const char *dir)
{
	char path[512];
	for (int i = 0; i < NFILES; i++) {
		snprintf(path, sizeof(path), "%s/%04d_step_%d.py", dir, i, i);
		FILE *f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "\"\"\"step %d\n\nRevision ID: r%04d\nRevises: \nCreate Date: 2026-01-01\n\n\"\"\"\n"
		           "from alembic import op\nimport sqlalchemy as sa\n\n\n"
		           "revision = 'r%04d'\n", i, i, i);
		if (i)
			fprintf(f, "down_revision = 'r%04d'\n", i - 1);
		else
			fputs("down_revision = None\n", f);
		fprintf(f, "branch_labels = None\ndepends_on = None\n\n\n"
		           "def upgrade():\n    op.execute(\"CREATE TABLE t%d (id int PRIMARY KEY)\")\n\n\n"
		           "def downgrade():\n    op.execute(\"DROP TABLE t%d\")\n", i, i);
		fclose(f);
		if (i % 10)
			continue;
		snprintf(path, sizeof(path), "%s/%04d_step_%d.sql", dir, i, i);
		f = fopen(path, "w");
		if (!f)
			return -1;
		fprintf(f, "-- retort:upgrade\nCREATE TABLE s%d (id int);\n"
		           "-- retort:downgrade\nDROP TABLE s%d;\n", i, i);
		fclose(f);
	}
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(void)
{
	char dir[] = "/tmp/rt-bench-XXXXXX";
	if (!mkdtemp(dir) || generate(dir) < 0) {
		perror("generate");
		return 1;
	}
	double first = 0, best = 1e9;
	size_t n = 0;
	for (int run = 0; run < 5; run++) {
		rt_arena *arena = rt_arena_new();
		rt_diags diags;
		rt_diags_init(&diags, arena);
		rt_strv locs = { 0 };
		rt_strv_push(arena, &locs, dir);
		rt_project_opts opts = { .version_locations = &locs };
		rt_project *p = NULL;
		rt_error err = RT_ERROR_INIT;
		double t0 = now_ms();
		int rc = rt_project_load(&p, arena, &opts, &diags, &err);
		double ms = now_ms() - t0;
		if (rc < 0) {
			fprintf(stderr, "load failed: %s\n", err.message);
			return 1;
		}
		n = p->n;
		if (run == 0)
			first = ms;
		if (ms < best)
			best = ms;
		rt_error_clear(&err);
		rt_arena_free(arena);
	}
	printf("loaded %zu revisions (%d files + %d sidecars): first %.2f ms, best %.2f ms\n", n,
	       NFILES, NFILES / 10, first, best);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	rt_sql_shutdown();
	return n == NFILES ? 0 : 1;
}
