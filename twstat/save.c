// SPDX-License-Identifier: GPL-2.0
/*
 * Writing what was read: --save's directory, byte for byte, and --output's
 * file, each through a temporary file and a rename so that no reader ever
 * sees half of one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reading.h"
#include "util.h"

/* Write @data to @path through a temporary file: readers never see half. */
int tw_write_file_atomic(const char *path, const char *data, size_t len,
			 char *err)
{
	char *tmp = xasprintf("%s.tmp.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t off = 0;

	if (fd < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			goto fail_close;
		}
		off += w;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		goto fail_unlink;
	}
	if (rename(tmp, path))
		goto fail_unlink;
	free(tmp);
	return 0;
fail_close:
	close(fd);
fail_unlink:
	snprintf(err, TW_ERR_LEN, "%s: %s", path, strerror(errno));
	unlink(tmp);
	free(tmp);
	return -1;
fail:
	snprintf(err, TW_ERR_LEN, "%s: %s", tmp, strerror(errno));
	free(tmp);
	return -1;
}

static int ensure_dir(const char *path, char *err)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		snprintf(err, TW_ERR_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int tw_reading_save(const struct twstat_reading *s, const char *dir, char *err)
{
	char *sub;
	int i, ret;

	if (ensure_dir(dir, err))
		return -1;
	sub = xasprintf("%s/sysctl", dir);
	ret = ensure_dir(sub, err);
	free(sub);
	sub = xasprintf("%s/debugfs", dir);
	ret = ret || ensure_dir(sub, err);
	free(sub);
	if (ret)
		return -1;
	for (i = 0; i < TWF_COUNT; i++) {
		const struct tw_file *f = &s->files[i];
		char *path = xasprintf("%s/%s", dir, tw_file_names[i]);

		if (f->state == TW_FILE_PRESENT)
			ret = tw_write_file_atomic(path, f->data, f->len, err);
		else if (unlink(path) && errno != ENOENT) {
			/* a stale copy would be read back as current */
			snprintf(err, TW_ERR_LEN, "%s: %s", path, strerror(errno));
			ret = -1;
		}
		free(path);
		if (ret)
			return -1;
	}
	return 0;
}
