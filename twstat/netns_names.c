// SPDX-License-Identifier: GPL-2.0
/*
 * Names for the namespaces of /proc/net/tw_netns, the way an operator
 * knows them: an "ip netns" name (/run/netns/NAME is a bind mount of the
 * namespace, so its inode is the namespace's), else the lowest PID living
 * in it with its command and cgroup (a container or pod ID is readable in
 * the cgroup path).  They are written to the "netns_names" file of a
 * snapshot, so that --save/--from reproduce the names of the moment.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lines.h"
#include "netns_names.h"
#include "reading.h"
#include "util.h"

/* What one scan found for one inode of the table. */
struct found {
	uint64_t netns;
	char *name;
	uint64_t pid;		/* 0: no process found */
};

static struct found *lookup(struct found *f, size_t n, uint64_t netns)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (f[i].netns == netns)
			return &f[i];
	return NULL;
}

/* "net:[4026531840]" as readlink() gives it for /proc/PID/ns/net. */
bool tw_netns_link_inode(const char *path, uint64_t *out)
{
	char buf[64];
	ssize_t n;

	n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0 || buf[n - 1] != ']')
		return false;
	buf[n - 1] = '\0';
	return !strncmp(buf, "net:[", 5) && tw_parse_u64(buf + 5, out);
}

/* A small /proc file, first line only, without its newline. */
static char *first_line(const char *path, const char *prefix)
{
	char buf[4096], *line, *nl;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	/* /proc/PID/cgroup: the unified hierarchy is the "0::" line */
	for (line = buf; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (!strncmp(line, prefix, strlen(prefix)))
			return strdup(line + strlen(prefix));
	}
	return NULL;
}

/* Tabs and newlines would cut the saved file: a comm may hold anything. */
static void clean(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/*
 * The "netns_names" text for the rows of @t: one line per inode found,
 * "inode<TAB>name<TAB>pid<TAB>comm<TAB>cgroup", a field empty when not
 * found.  Costs one readlink per process on the host, no more.
 */
char *tw_netns_names_scan(const struct tw_table *t, const char *root)
{
	struct found *f = xrealloc(NULL, t->nrows * sizeof(*f));
	size_t n = 0, i, len = 0;
	char path[4096], *out;
	struct dirent *d;
	DIR *dir;

	for (i = 0; i < tw_table_data_rows(t); i++) {
		uint64_t ino;

		if (tw_cell_num(t, i, 0, &ino) && !lookup(f, n, ino)) {
			f[n].netns = ino;
			f[n].name = NULL;
			f[n].pid = 0;
			n++;
		}
	}
	snprintf(path, sizeof(path), "%s/run/netns", root);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		struct found *hit;
		struct stat st;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/run/netns/%s", root, d->d_name);
		if (stat(path, &st))
			continue;
		hit = lookup(f, n, st.st_ino);
		/* two names for one namespace: keep the first in byte order */
		if (hit && (!hit->name || strcmp(d->d_name, hit->name) < 0)) {
			free(hit->name);
			hit->name = strdup(d->d_name);
		}
	}
	if (dir)
		closedir(dir);
	snprintf(path, sizeof(path), "%s/proc", root);
	dir = opendir(path);
	while (dir && (d = readdir(dir))) {
		struct found *hit;
		uint64_t ino, pid;

		if (!tw_parse_u64(d->d_name, &pid))
			continue;
		snprintf(path, sizeof(path), "%s/proc/%s/ns/net", root, d->d_name);
		if (!tw_netns_link_inode(path, &ino))
			continue;	/* gone, or a kernel thread's */
		hit = lookup(f, n, ino);
		if (hit && (!hit->pid || pid < hit->pid))
			hit->pid = pid;
	}
	if (dir)
		closedir(dir);

	out = xrealloc(NULL, 1);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		char *comm = NULL, *cgroup = NULL, *line;
		int m;

		if (!f[i].name && !f[i].pid)
			continue;
		if (f[i].pid) {
			snprintf(path, sizeof(path), "%s/proc/%llu/comm", root,
				 (unsigned long long)f[i].pid);
			comm = first_line(path, "");
			snprintf(path, sizeof(path), "%s/proc/%llu/cgroup", root,
				 (unsigned long long)f[i].pid);
			cgroup = first_line(path, "0::");
		}
		clean(f[i].name);
		clean(comm);
		clean(cgroup);
		m = asprintf(&line, "%llu\t%s\t", (unsigned long long)f[i].netns,
			     f[i].name ? f[i].name : "");
		if (m >= 0 && f[i].pid) {
			char *more;

			m = asprintf(&more, "%s%llu\t%s\t%s\n", line,
				     (unsigned long long)f[i].pid,
				     comm ? comm : "", cgroup ? cgroup : "");
			free(line);
			line = more;
		} else if (m >= 0) {
			char *more;

			m = asprintf(&more, "%s\t\t\n", line);
			free(line);
			line = more;
		}
		if (m < 0)
			tw_oom();
		out = xrealloc(out, len + m + 1);
		memcpy(out + len, line, m + 1);
		len += m;
		free(line);
		free(comm);
		free(cgroup);
		free(f[i].name);
	}
	free(f);
	return out;
}

struct netns_names_ctx {
	const char *file;
	struct tw_netns_name **out;
	size_t *n;
};

static int netns_names_line(void *vctx, char *line, size_t lineno, char *err)
{
	struct netns_names_ctx *ctx = vctx;
	struct tw_netns_name *e, **out = ctx->out;
	uint64_t ino, pid = 0;
	char *fld[5];
	size_t k;

	if (tw_split_tabs(line, fld, 5) != 5)
		return tw_fail(err, ctx->file, lineno,
			       "expected 'netns<TAB>name<TAB>pid<TAB>comm<TAB>cgroup'");
	if (!tw_parse_u64(fld[0], &ino) ||
	    (*fld[2] && (!tw_parse_u64(fld[2], &pid) || !pid)) ||
	    (!*fld[2] && (*fld[3] || *fld[4])) ||
	    (!*fld[1] && !*fld[2]))
		return tw_fail(err, ctx->file, lineno, "bad netns, name or pid");
	for (k = 0; k < *ctx->n; k++)
		if ((*out)[k].netns == ino)
			return tw_fail(err, ctx->file, lineno, "netns appears twice");
	*out = xrealloc(*out, (*ctx->n + 1) * sizeof(**out));
	e = &(*out)[(*ctx->n)++];
	e->netns = ino;
	e->pid = pid;
	e->name = *fld[1] ? xasprintf("%s", fld[1]) : NULL;
	e->comm = pid ? xasprintf("%s", fld[3]) : NULL;
	e->cgroup = *fld[4] ? xasprintf("%s", fld[4]) : NULL;
	return 0;
}

/* The saved "netns_names" file back into entries; refuses any other shape. */
int tw_parse_netns_names(const char *file, const char *data, size_t len,
			 struct tw_netns_name **out, size_t *n, char *err)
{
	struct netns_names_ctx ctx = { .file = file, .out = out, .n = n };

	*out = NULL;
	*n = 0;
	return tw_cut_copy(file, data, len, netns_names_line, &ctx, err);
}

const struct tw_netns_name *tw_netns_name_of(const struct twstat_reading *s,
					     uint64_t netns)
{
	size_t i;

	for (i = 0; i < s->nnames; i++)
		if (s->names[i].netns == netns)
			return &s->names[i];
	return NULL;
}

void tw_netns_names_free(struct twstat_reading *s)
{
	size_t i;

	for (i = 0; i < s->nnames; i++) {
		free(s->names[i].name);
		free(s->names[i].comm);
		free(s->names[i].cgroup);
	}
	free(s->names);
	s->names = NULL;
	s->nnames = 0;
}
