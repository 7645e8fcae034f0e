/*
 * Discovery of version files and SQL files with Alembic's rules (main,
 * ScriptDirectory._load_revisions): per location, sorted names, optional
 * recursion in sorted order, the same real path only once. Lists names and
 * file types only; nothing is read here.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/project.h"

/* A set of strings by open addressing; the arena owns everything. */
typedef struct strset {
	const char **slots;
	size_t cap, n;
} strset;

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

static void strset_init(rt_arena *arena, strset *set, size_t expect)
{
	size_t cap = 16;
	while (cap < expect * 2)
		cap *= 2;
	set->slots = rt_alloc_array(arena, cap, sizeof(*set->slots));
	set->cap = cap;
	set->n = 0;
}

static bool strset_has(const strset *set, const char *s, size_t n)
{
	for (size_t i = hash(s, n) & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		const char *e = set->slots[i];
		if (!e)
			return false;
		if (strncmp(e, s, n) == 0 && e[n] == '\0')
			return true;
	}
}

/* Adds s (kept by pointer); false when it was already present. */
static bool strset_add(rt_arena *arena, strset *set, const char *s)
{
	size_t n = strlen(s);
	if (strset_has(set, s, n))
		return false;
	if ((set->n + 1) * 2 > set->cap) {
		strset old = *set;
		strset_init(arena, set, old.cap);
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i])
				strset_add(arena, set, old.slots[i]);
	}
	size_t i = hash(s, n) & (set->cap - 1);
	while (set->slots[i])
		i = (i + 1) & (set->cap - 1);
	set->slots[i] = s;
	set->n++;
	return true;
}

typedef enum ftype { F_REG, F_DIR, F_OTHER } ftype;

typedef struct entry {
	const char *name;
	size_t len;
	ftype type;
	bool link; /* a symbolic link (to a regular file when type is F_REG) */
} entry;

typedef struct walker {
	rt_arena *arena;
	rt_diags *diags;
	rt_error *err;
	bool recursive;
	strset seen; /* real paths already listed */
	rt_srcfile *files;
	size_t n, cap;
} walker;

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* Alembic's `(?!\.\#|__init__)(.*\.py)$`, and the same rule for .sql. */
static bool wanted_name(const char *name, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	return n >= e && memcmp(name + n - e, ext, e) == 0 && strncmp(name, "__init__", 8) != 0 &&
	       strncmp(name, ".#", 2) != 0 && !memchr(name, '\n', n);
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/*
 * Type of a directory entry, following a symbolic link for files only: like
 * os.walk(followlinks=False), a link to a directory is not descended into.
 */
static void classify(int dfd, struct dirent *de, entry *e)
{
	struct stat st;
	switch (de->d_type) {
	case DT_REG: e->type = F_REG; return;
	case DT_DIR: e->type = F_DIR; return;
	case DT_LNK: break;
	case DT_UNKNOWN:
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			e->type = F_OTHER;
			return;
		}
		if (S_ISREG(st.st_mode)) {
			e->type = F_REG;
			return;
		}
		if (S_ISDIR(st.st_mode)) {
			e->type = F_DIR;
			return;
		}
		if (!S_ISLNK(st.st_mode)) {
			e->type = F_OTHER;
			return;
		}
		break;
	default: e->type = F_OTHER; return;
	}
	e->link = true;
	e->type = fstatat(dfd, de->d_name, &st, 0) == 0 && S_ISREG(st.st_mode) ? F_REG : F_OTHER;
}

/* dir + "/" + name (two copies per listed file: no printf machinery) */
static char *join(rt_arena *arena, const char *dir, const char *name)
{
	size_t d = strlen(dir), n = strlen(name);
	char *p = rt_alloc_raw(arena, d + n + 2);
	memcpy(p, dir, d);
	p[d] = '/';
	memcpy(p + d + 1, name, n + 1);
	return p;
}

/* The real path of a listed file: cheap unless the entry is a link. */
static const char *real_path(walker *w, const char *rdir, const char *path, const entry *e)
{
	if (!e->link)
		return join(w->arena, rdir, e->name);
	char *r = realpath(path, NULL);
	if (!r)
		return join(w->arena, rdir, e->name);
	const char *copy = rt_strdup(w->arena, r);
	free(r);
	return copy;
}

static void warn(walker *w, const char *path, const char *kind, const char *hint,
                 const char *what)
{
	rt_loc loc = { .path = path };
	rt_diags_add(w->diags, RT_SEV_WARNING, kind, &loc, hint, "file '%s' %s", path, what);
}

/* Regular and not seen before (warning otherwise). */
static bool admit(walker *w, const char *rdir, const char *path, const entry *e)
{
	if (e->type != F_REG) {
		warn(w, path, "not-a-file", "remove it or make it a regular file",
		     "is not a regular file; ignoring it");
		return false;
	}
	if (!strset_add(w->arena, &w->seen, real_path(w, rdir, path, e))) {
		warn(w, path, "duplicate-file", "make version_locations unique (they overlap)",
		     "is loaded twice; ignoring the second");
		return false;
	}
	return true;
}

static void emit(walker *w, rt_srcfile file)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		w->files = rt_realloc_array(w->arena, w->files, w->n, cap, sizeof(*w->files));
		w->cap = cap;
	}
	w->files[w->n++] = file;
}

/* The entry named stem + ext among the directory's wanted names, or NULL. */
static const entry *partner(const entry *es, size_t n, const strset *names, const entry *e,
                            size_t stemlen, const char *ext)
{
	char key[NAME_MAX + 8];
	size_t k = strlen(ext);
	if (stemlen + k >= sizeof(key))
		return NULL;
	memcpy(key, e->name, stemlen);
	memcpy(key + stemlen, ext, k + 1);
	if (!strset_has(names, key, stemlen + k))
		return NULL;
	entry probe = { .name = key };
	return bsearch(&probe, es, n, sizeof(*es), cmp_entry);
}

static int walk(walker *w, const char *dir, const char *rdir, unsigned depth);

static int walk_entries(walker *w, const char *dir, const char *rdir, entry *es, size_t n,
                        unsigned depth)
{
	if (n > 1)
		qsort(es, n, sizeof(*es), cmp_entry);
	strset names;
	strset_init(w->arena, &names, n);
	for (size_t i = 0; i < n; i++)
		if (wanted_name(es[i].name, es[i].len, ".py") || wanted_name(es[i].name, es[i].len, ".sql"))
			strset_add(w->arena, &names, es[i].name);

	for (size_t i = 0; i < n; i++) {
		const entry *e = &es[i];
		if (wanted_name(e->name, e->len, ".py")) {
			const char *path = join(w->arena, dir, e->name);
			const entry *sc = partner(es, n, &names, e, e->len - 3, ".sql");
			if (!admit(w, rdir, path, e))
				continue; /* its sidecar goes with it */
			const char *scpath = sc ? join(w->arena, dir, sc->name) : NULL;
			if (sc && !admit(w, rdir, scpath, sc))
				scpath = NULL;
			emit(w, (rt_srcfile){ .path = path, .sidecar_path = scpath });
		} else if (wanted_name(e->name, e->len, ".sql")) {
			if (partner(es, n, &names, e, e->len - 4, ".py"))
				continue; /* a sidecar, listed with its .py */
			const char *path = join(w->arena, dir, e->name);
			if (admit(w, rdir, path, e))
				emit(w, (rt_srcfile){ .path = path, .standalone = true });
		}
	}
	if (!w->recursive)
		return RT_OK;
	for (size_t i = 0; i < n; i++) {
		const entry *e = &es[i];
		if (e->type != F_DIR || e->link || ends_with(e->name, e->len, "__pycache__"))
			continue;
		int rc = walk(w, join(w->arena, dir, e->name), join(w->arena, rdir, e->name), depth + 1);
		if (rc < 0)
			return rc;
	}
	return RT_OK;
}

static int walk(walker *w, const char *dir, const char *rdir, unsigned depth)
{
	rt_loc loc = { .path = dir };
	if (depth > RT_MAX_NESTING)
		return rt_error_set(w->err, RT_ELIMIT, &loc, "directory '%s' is nested too deeply", dir);
	DIR *d = opendir(dir);
	if (!d)
		return rt_error_set(w->err, RT_EOS, &loc, "cannot read directory '%s': %s", dir,
		                    strerror(errno));
	entry *es = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			es = rt_realloc_array(w->arena, es, n, ncap, sizeof(*es));
			cap = ncap;
		}
		entry *e = &es[n++];
		e->len = strlen(de->d_name);
		e->name = rt_strndup(w->arena, de->d_name, e->len);
		e->link = false;
		classify(dirfd(d), de, e);
		errno = 0;
	}
	int failed = errno;
	closedir(d);
	if (failed)
		return rt_error_set(w->err, RT_EOS, &loc, "cannot read directory '%s': %s", dir,
		                    strerror(failed));
	return walk_entries(w, dir, rdir, es, n, depth);
}

int rt_project_discover(rt_discovery *out, rt_arena *arena, const rt_project_opts *opts,
                        rt_diags *diags, rt_error *err)
{
	out->files = NULL;
	out->n = 0;
	walker w = { .arena = arena, .diags = diags, .err = err, .recursive = opts->recursive };
	strset_init(arena, &w.seen, 256);
	const rt_strv *locs = opts->version_locations;
	for (size_t i = 0; locs && i < locs->n; i++) {
		/* "versions/" and "versions" name the same folder; keep "/" itself */
		size_t len = strlen(locs->v[i]);
		while (len > 1 && locs->v[i][len - 1] == '/')
			len--;
		const char *dir = rt_strndup(arena, locs->v[i], len);
		rt_loc loc = { .path = dir };
		struct stat st;
		bool exists = stat(dir, &st) == 0;
		if (!exists && errno != ENOENT && errno != ENOTDIR)
			return rt_error_set(err, RT_EOS, &loc, "cannot access version location '%s': %s",
			                    dir, strerror(errno));
		if (!exists || !S_ISDIR(st.st_mode)) {
			rt_error_set(err, RT_ENOTFOUND, &loc,
			             exists ? "version location '%s' is not a directory"
			                    : "version location '%s' does not exist",
			             dir);
			rt_error_hint(err, "check script_location / version_locations");
			return RT_ENOTFOUND;
		}
		char *r = realpath(dir, NULL);
		if (!r)
			return rt_error_set(err, RT_EOS, &loc, "cannot resolve '%s': %s", dir,
			                    strerror(errno));
		const char *rdir = rt_strdup(arena, strcmp(r, "/") == 0 ? "" : r);
		free(r);
		int rc = walk(&w, dir, rdir, 0);
		if (rc < 0)
			return rc;
	}
	out->files = w.files;
	out->n = w.n;
	return RT_OK;
}
