/*
 * Durable file writes shared by rewrite.c (replace a file) and newrev.c
 * (create one that must not exist): a temporary file beside the target,
 * written in full and fsynced, then put in place in one step, and the
 * folder synced so the new entry survives a crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

static bool write_all(int fd, const rt_buf *b)
{
	size_t done = 0;
	while (done < b->len) {
		ssize_t w = write(fd, b->ptr + done, b->len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += (size_t)w;
	}
	return true;
}

int rt_author_sync_dir(const char *dir, rt_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return rt_error_set(err, RT_EOS, NULL, "cannot open folder '%s': %s", dir,
		                    strerror(errno));
	/* a file system that cannot sync folders (EINVAL) has nothing more to do */
	int rc = fsync(fd) != 0 && errno != EINVAL
	         ? rt_error_set(err, RT_EOS, NULL, "cannot sync folder '%s': %s", dir, strerror(errno))
	         : RT_OK;
	close(fd);
	return rc;
}

void rt_author_split_path(rt_buf *dir, const char **base, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash)
		rt_buf_add(dir, path, (size_t)(slash - path) + (slash == path));
	else
		rt_buf_putc(dir, '.');
	*base = slash ? slash + 1 : path;
}

const char *rt_author_temp_write(rt_buf *tmp, const char *dir, const char *base,
                                 const rt_buf *text, mode_t mode, int *err_no)
{
	rt_buf_printf(tmp, "%s/.%s.XXXXXX", dir, base);
	int fd = mkstemp(tmp->ptr);
	if (fd < 0) {
		*err_no = errno;
		return "create";
	}
	/* each step names the call that failed, for the message */
	const char *step = !write_all(fd, text) ? "write"
	                   : fchmod(fd, mode) != 0 ? "fchmod"
	                   : fsync(fd) != 0 ? "fsync" : NULL;
	*err_no = errno;
	if (close(fd) != 0 && !step) {
		step = "close";
		*err_no = errno;
	}
	if (step)
		unlink(tmp->ptr);
	return step;
}
