// SPDX-License-Identifier: GPL-2.0
/*
 * --advise on CLOSE_WAIT by owner: the rows of tw_cgroups that hold
 * CLOSE_WAIT sockets long idle, named by cgroup path when read live.
 * A minimal read-only parse of its own (by column name), next to the
 * reading: <dir of tw_stats>/tw_cgroups, live or saved.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reading.h"
#include "util.h"
#include "whatif.h"

#define CW_MIN		10	/* this many is a leak without waiting */
#define CW_IDLE_S	60	/* one socket idle this long in CLOSE_WAIT too */
#define MAX_CG_LINES	5
#define MAX_CG_BYTES	(4 << 20)

static uint64_t want_ino;
static char *found_path;

static int match_ino(const char *path, const struct stat *st, int type,
		     struct FTW *ftw)
{
	(void)ftw;
	if (type == FTW_D && st->st_ino == want_ino) {
		found_path = strdup(path);
		return 1;
	}
	return 0;
}

/* cgroup id -> path under the cgroup2 mount (live only): its inode. */
static char *cgroup_path(uint64_t id)
{
	char *root = xasprintf("%s/sys/fs/cgroup", tw_root()), *p = NULL;
	size_t n = strlen(root);

	want_ino = id;
	found_path = NULL;
	if (nftw(root, match_ino, 16, FTW_PHYS | FTW_MOUNT) == 1 && found_path) {
		p = xasprintf("%s", found_path[n] ? found_path + n : "/");
		free(found_path);
	}
	free(root);
	return p;
}

static int col_of(char **heads, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(heads[i], name))
			return (int)i;
	return -1;
}

/* Split @line in place on spaces; at most @max fields. */
static size_t split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " \t", &save); t && n < max;
	     t = strtok_r(NULL, " \t", &save))
		f[n++] = t;
	return n;
}

unsigned int tw_advise_cgroups(FILE *out, const struct twstat_reading *s)
{
	const char *stats = s->files[TWF_STATS].path;
	char *path, *data = NULL, *line, *save = NULL, *heads[16], *f[16];
	int cc, cu, cw, ci;
	size_t len, nh, shown = 0, more = 0;
	bool live = !strcmp(s->source, "/proc/net");
	const char *slash;

	if (!stats || !(slash = strrchr(stats, '/')))
		return 0;
	path = xasprintf("%.*s/tw_cgroups", (int)(slash - stats), stats);
	if (tw_read_file(path, MAX_CG_BYTES, &data, &len)) {
		free(path);
		return 0;	/* older module, or not readable: nothing to say */
	}
	free(path);
	line = strtok_r(data, "\n", &save);
	nh = line ? split(line, heads, 16) : 0;
	cc = col_of(heads, nh, "cgroup");
	cu = col_of(heads, nh, "uid");
	cw = col_of(heads, nh, "close_wait");
	ci = col_of(heads, nh, "close_wait_idle_max_s");
	if (cc < 0 || cu < 0 || cw < 0 || ci < 0) {
		free(data);
		return 0;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		unsigned long n, idle = 0, id;
		bool have_idle;
		char *name = NULL;

		if (split(line, f, 16) != nh || !strcmp(f[cc], "others") ||
		    !tw_parse_ulong(f[cw], 0, ~0UL, &n) || !n)
			continue;
		have_idle = tw_parse_ulong(f[ci], 0, ~0UL, &idle);
		if (n < CW_MIN && (!have_idle || idle < CW_IDLE_S))
			continue;
		if (shown == MAX_CG_LINES) {
			more++;
			continue;
		}
		shown++;
		if (live && tw_parse_ulong(f[cc], 1, ~0UL, &id))
			name = cgroup_path(id);
		if (name)
			fprintf(out, "[close_wait] '%s' (cgroup %s, uid %s)",
				name, f[cc], f[cu]);
		else
			fprintf(out, "[close_wait] cgroup %s (uid %s)", f[cc], f[cu]);
		fprintf(out, " holds %lu CLOSE_WAIT sockets", n);
		if (have_idle)
			fprintf(out, ", oldest idle %lu s", idle);
		fputs(": the application does not close() its sockets after the peer closed; no sysctl fixes that\n",
		      out);
		free(name);
	}
	if (more)
		fprintf(out, "[close_wait] and %zu more (cgroup, uid) pairs with CLOSE_WAIT sockets\n",
			more);
	free(data);
	return shown;
}
