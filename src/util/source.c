/* Source files and line maps. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "retort/source.h"

/* Counts the lines, then notes where each starts: two memchr walks; every
 * entry is written, so the map needs no zeroing. */
static void build_line_map(rt_arena *arena, rt_source *src)
{
	const char *s = src->text, *end = s + src->len;
	size_t n = 1;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	if (n > SIZE_MAX / sizeof(uint32_t))
		rt_oom();
	uint32_t *ls = rt_alloc_raw(arena, n * sizeof(*ls));
	size_t k = 0;
	ls[k++] = 0;
	for (const char *p = s; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		ls[k++] = (uint32_t)(p + 1 - s);
	src->line_starts = ls;
	src->nlines = n;
}

rt_source *rt_source_from_mem(rt_arena *arena, const char *path, const char *text, size_t len)
{
	rt_source *src = rt_alloc(arena, sizeof(*src));
	src->path = path ? rt_strdup(arena, path) : NULL;
	src->text = rt_strndup(arena, text, len);
	src->len = len;
	build_line_map(arena, src);
	return src;
}

int rt_source_load(rt_source **out, rt_arena *arena, const char *path, rt_error *err)
{
	*out = NULL;
	rt_loc loc = { .path = path };
	/* plain read(2): loading 1000 version files is on every command's path */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_error_set(err, RT_EOS, &loc, "cannot open '%s': %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return rt_error_set(err, RT_EOS, &loc, "'%s' is not a regular file", path);
	}
	if ((unsigned long long)st.st_size > RT_MAX_SOURCE_FILE) {
		close(fd);
		return rt_error_set(err, RT_ELIMIT, &loc, "'%s' is larger than %u bytes", path,
		                    RT_MAX_SOURCE_FILE);
	}
	size_t cap = (size_t)st.st_size, len = 0;
	char *text = rt_alloc_raw(arena, cap + 1); /* read in full below (len bytes kept) */
	while (len < cap) {
		ssize_t n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			return rt_error_set(err, RT_EOS, &loc, "cannot read '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break; /* the file shrank while we read it: take what is there */
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	rt_source *src = rt_alloc(arena, sizeof(*src));
	src->path = rt_strdup(arena, path);
	src->text = text;
	src->len = len;
	build_line_map(arena, src);
	*out = src;
	return RT_OK;
}

rt_loc rt_source_loc(const rt_source *src, size_t offset, size_t len)
{
	rt_loc loc = { .path = src->path };
	if (offset > src->len)
		offset = src->len;
	size_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t col = 1;
	for (size_t i = src->line_starts[lo]; i < offset; i++)
		if (((unsigned char)src->text[i] & 0xC0) != 0x80)
			col++;
	loc.line = (uint32_t)lo + 1;
	loc.col = col;
	loc.offset = (uint32_t)offset;
	loc.len = (uint32_t)len;
	return loc;
}

const char *rt_source_line(const rt_source *src, uint32_t line, size_t *len)
{
	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	size_t start = src->line_starts[line - 1];
	size_t end = line < src->nlines ? src->line_starts[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}
