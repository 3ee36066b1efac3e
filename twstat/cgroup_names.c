// SPDX-License-Identifier: GPL-2.0
/*
 * Naming the owners of tw_cgroups.  The module gives a cgroup's id, which
 * is the inode number of its directory on the cgroup2 mount, and a uid;
 * a person wants "system.slice/nginx.service" and "www-data".  A live
 * read finds them once (a bounded walk of the cgroup2 mount, getpwuid())
 * and writes them to the reading's "cgroup_names" file, so that --save
 * keeps them and --from shows the names as they were when saved, not as
 * this host's cgroups are now (a replay on another host must not name
 * another host's cgroups).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup_names.h"
#include "lines.h"
#include "reading.h"
#include "table.h"
#include "util.h"

/* A walk stops here: a host has hundreds of cgroups, not a million. */
#define WALK_MAX_DEPTH	32
#define WALK_MAX_DIRS	100000
/* Paths found, kept for the run (--watch reads again every frame). */
#define CACHE_MAX	4096

struct found {
	uint64_t id;
	char *path;		/* relative to the mount, "/" for its root */
};

static struct found cache[CACHE_MAX];
static size_t ncache;

static const char *cached(uint64_t id)
{
	size_t i;

	for (i = 0; i < ncache; i++)
		if (cache[i].id == id)
			return cache[i].path;
	return NULL;
}

static void remember(uint64_t id, const char *path)
{
	if (cached(id))
		return;
	if (ncache == CACHE_MAX) {
		/* forget everything rather than grow: the next walk refills */
		while (ncache)
			free(cache[--ncache].path);
	}
	cache[ncache].id = id;
	cache[ncache].path = xasprintf("%s", path);
	ncache++;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
				      (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

/*
 * Where the cgroup2 hierarchy is mounted: TWSTAT_CGROUP_ROOT (tests), else
 * the first cgroup2 line of /proc/self/mountinfo, else /sys/fs/cgroup.
 */
static char *cgroup_root(void)
{
	const char *env = getenv("TWSTAT_CGROUP_ROOT");
	char *path, *data, *line, *nl, *found = NULL;
	size_t len;

	if (env && *env)
		return xasprintf("%s", env);
	path = xasprintf("%s/proc/self/mountinfo", tw_root());
	if (tw_read_file(path, 1 << 20, &data, &len) == 0) {
		for (line = data; !found && *line; line = nl + 1) {
			char *f[5], *sep, *p = line;
			size_t k;

			nl = strchr(line, '\n');
			if (!nl)
				break;
			*nl = '\0';
			/* "id parent maj:min root mountpoint ... - fstype src opts" */
			sep = strstr(line, " - cgroup2 ");
			if (!sep)
				continue;
			for (k = 0; k < 5 && p; k++) {
				f[k] = p;
				p = strchr(p, ' ');
				if (p)
					*p++ = '\0';
			}
			if (k == 5 && p && p <= sep + 1) {
				unescape(f[4]);
				found = xasprintf("%s%s", tw_root(), f[4]);
			}
		}
		free(data);
	}
	free(path);
	return found ? found : xasprintf("%s/sys/fs/cgroup", tw_root());
}

static bool wanted(const uint64_t *ids, size_t n, uint64_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * Depth first under @dir (whose path below the mount is @rel), remembering
 * the directories whose inode is one of @ids; false once the bound is hit.
 */
static bool walk(const char *dir, const char *rel, int depth,
		 const uint64_t *ids, size_t n, size_t *dirs)
{
	struct dirent *d;
	DIR *dp;
	bool ok = true;

	if (depth > WALK_MAX_DEPTH)
		return true;
	dp = opendir(dir);
	if (!dp)
		return true;	/* gone meanwhile, or not ours to read */
	while (ok && (d = readdir(dp))) {
		struct stat st;
		char *sub, *subrel;

		if (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		/* the inode from stat: readdir's d_ino may differ (overlayfs) */
		if (fstatat(dirfd(dp), d->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode))
			continue;
		if (++*dirs > WALK_MAX_DIRS) {
			ok = false;
			break;
		}
		sub = xasprintf("%s/%s", dir, d->d_name);
		subrel = xasprintf("%s/%s", strcmp(rel, "/") ? rel : "",
				   d->d_name);
		if (wanted(ids, n, st.st_ino))
			remember(st.st_ino, subrel);
		ok = walk(sub, subrel, depth + 1, ids, n, dirs);
		free(sub);
		free(subrel);
	}
	closedir(dp);
	return ok;
}

/* Control characters and tabs would break the line format. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static void append(char **out, size_t *len, const char *kind, uint64_t id,
		   const char *name)
{
	char *clean_name = xasprintf("%s", name), *line;
	size_t m;

	clean(clean_name);
	line = xasprintf("%s\t%llu\t%s\n", kind, (unsigned long long)id,
			 clean_name);
	m = strlen(line);
	*out = xrealloc(*out, *len + m + 1);
	memcpy(*out + *len, line, m + 1);
	*len += m;
	free(line);
	free(clean_name);
}

/*
 * The user name of @uid from /etc/passwd, the first line that has it.
 * Not getpwuid(): twstat is linked statically (it runs in initramfs and
 * containers), and a static glibc's NSS needs the very shared libraries
 * of the glibc it was built with; users known only to LDAP or sssd stay
 * numeric.
 */
static char *passwd_name(uint64_t uid)
{
	char *path = xasprintf("%s/etc/passwd", tw_root());
	char *data, *line, *nl, *found = NULL;
	size_t len;

	if (tw_read_file(path, 16 << 20, &data, &len)) {
		free(path);
		return NULL;
	}
	free(path);
	for (line = data; !found && *line; line = nl + 1) {
		char *name = line, *c1, *c2, *c3;
		uint64_t v;

		nl = strchr(line, '\n');
		if (!nl)
			nl = line + strlen(line) - 1;
		else
			*nl = '\0';
		/* name:password:uid:... */
		c1 = strchr(name, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		c3 = c2 ? strchr(c2 + 1, ':') : NULL;
		if (!c3 || c1 == name)
			continue;
		*c1 = '\0';
		*c3 = '\0';
		if (tw_parse_u64(c2 + 1, &v) && v == uid)
			found = xasprintf("%s", name);
	}
	free(data);
	return found;
}

/*
 * The "cgroup_names" text for the rows of @t: "cgroup<TAB>id<TAB>path"
 * for each cgroup found, "uid<TAB>uid<TAB>user" for each uid with a
 * name.  Walks the mount only when an id is not known from an earlier
 * reading of this run.
 */
char *tw_cgroup_names_scan(const struct tw_table *t)
{
	size_t rows = tw_table_data_rows(t), n = 0, nu = 0, len = 0, i, dirs = 0;
	uint64_t *ids = xcalloc(rows + 1, sizeof(*ids));
	uint64_t *uids = xcalloc(rows + 1, sizeof(*uids));
	int cg = tw_col(t, "cgroup"), uc = tw_col(t, "uid");
	bool missing = false;
	char *out = xcalloc(1, 1);

	for (i = 0; i < rows; i++) {
		uint64_t v;

		/* 0: a kernel without socket cgroup data; nothing to name */
		if (tw_cell_num(t, i, cg, &v) && v && !wanted(ids, n, v)) {
			ids[n++] = v;
			missing = missing || !cached(v);
		}
		if (tw_cell_num(t, i, uc, &v) && !wanted(uids, nu, v))
			uids[nu++] = v;
	}
	if (missing) {
		char *root = cgroup_root();
		struct stat st;

		if (!stat(root, &st) && S_ISDIR(st.st_mode)) {
			if (wanted(ids, n, st.st_ino))
				remember(st.st_ino, "/");
			walk(root, "/", 1, ids, n, &dirs);
		}
		free(root);
	}
	for (i = 0; i < n; i++) {
		const char *p = cached(ids[i]);

		if (p)
			append(&out, &len, "cgroup", ids[i], p);
	}
	for (i = 0; i < nu; i++) {
		char *user = passwd_name(uids[i]);

		if (user)
			append(&out, &len, "uid", uids[i], user);
		free(user);
	}
	free(ids);
	free(uids);
	return out;
}

struct cgroup_names_ctx {
	const char *file;
	struct tw_owner_name **out;
	size_t *n;
};

static int cgroup_names_line(void *vctx, char *line, size_t lineno, char *err)
{
	struct cgroup_names_ctx *ctx = vctx;
	struct tw_owner_name **out = ctx->out;
	char *fld[3];
	bool is_uid;
	uint64_t v;
	size_t k;

	if (tw_split_tabs(line, fld, 3) != 3)
		return tw_fail(err, ctx->file, lineno,
			       "expected 'cgroup<TAB>id<TAB>path' or 'uid<TAB>uid<TAB>user'");
	is_uid = !strcmp(fld[0], "uid");
	if ((!is_uid && strcmp(fld[0], "cgroup")) ||
	    !tw_parse_u64(fld[1], &v) || !*fld[2] ||
	    (!is_uid && (!v || fld[2][0] != '/')))
		return tw_fail(err, ctx->file, lineno, "bad kind, id or name");
	for (k = 0; k < *ctx->n; k++)
		if ((*out)[k].is_uid == is_uid && (*out)[k].id == v)
			return tw_fail(err, ctx->file, lineno, "id appears twice");
	*out = xrealloc(*out, (*ctx->n + 1) * sizeof(**out));
	(*out)[*ctx->n].is_uid = is_uid;
	(*out)[*ctx->n].id = v;
	(*out)[*ctx->n].name = xasprintf("%s", fld[2]);
	(*ctx->n)++;
	return 0;
}

/* The saved "cgroup_names" back into entries; refuses any other shape. */
int tw_parse_cgroup_names(const char *file, const char *data, size_t len,
			  struct tw_owner_name **out, size_t *n, char *err)
{
	struct cgroup_names_ctx ctx = { .file = file, .out = out, .n = n };

	*out = NULL;
	*n = 0;
	return tw_cut_copy(file, data, len, cgroup_names_line, &ctx, err);
}

static const char *name_of(const struct twstat_reading *s, bool is_uid,
			   uint64_t id)
{
	size_t i;

	for (i = 0; i < s->nowners; i++)
		if (s->owners[i].is_uid == is_uid && s->owners[i].id == id)
			return s->owners[i].name;
	return NULL;
}

const char *tw_cgroup_path(const struct twstat_reading *s, uint64_t id)
{
	return name_of(s, false, id);
}

const char *tw_user_name(const struct twstat_reading *s, uint64_t uid)
{
	return name_of(s, true, uid);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A run of exactly 64 hex digits in @c (@n bytes): a container ID. */
static const char *container_in(const char *c, size_t n)
{
	size_t i = 0, run;

	while (i < n) {
		for (run = 0; i + run < n && is_hex(c[i + run]); run++)
			;
		if (run == 64)
			return c + i;
		i += run ? run : 1;
	}
	return NULL;
}

/* "pod" then a UID (36 characters, '_' or '-' where the dashes go). */
static bool pod_in(const char *c, size_t n, char out[37])
{
	size_t i, k;
	char pod[37];

	for (i = 0; i + 3 + 36 <= n; i++) {
		const char *u = c + i + 3;

		if (memcmp(c + i, "pod", 3))
			continue;
		for (k = 0; k < 36; k++) {
			bool dash = k == 8 || k == 13 || k == 18 || k == 23;

			if (dash ? (u[k] != '_' && u[k] != '-') : !is_hex(u[k]))
				break;
			pod[k] = dash ? '-' : u[k];
		}
		if (k == 36 && (i + 39 == n || !is_hex(u[36]))) {
			pod[36] = '\0';
			memcpy(out, pod, sizeof(pod));
			return true;
		}
	}
	return false;
}

static bool ends_with(const char *c, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);

	return n > m && !memcmp(c + n - m, suffix, m);
}

/*
 * What the path says: the last component that is a systemd unit
 * (.service, .scope or .slice), the last 64-hex container ID
 * (docker-<id>.scope, cri-containerd-<id>.scope, cgroupfs's /docker/<id>),
 * and a pod UID when a kubepods hierarchy carries one
 * (kubepods-besteffort-pod<uid>.slice with '_' for '-', or pod<uid>).
 */
void tw_cgroup_owner(const char *path, struct tw_cgroup_owner *o)
{
	bool kube = path && strstr(path, "kubepods");
	const char *c = path;

	memset(o, 0, sizeof(*o));
	while (c && *c) {
		size_t n;
		const char *id;

		c += strspn(c, "/");
		n = strcspn(c, "/");
		if (!n)
			break;
		if ((ends_with(c, n, ".service") || ends_with(c, n, ".scope") ||
		     ends_with(c, n, ".slice")) && n < sizeof(o->unit)) {
			memcpy(o->unit, c, n);
			o->unit[n] = '\0';
		}
		id = container_in(c, n);
		if (id) {
			memcpy(o->container, id, 64);
			o->container[64] = '\0';
		}
		if (kube)
			pod_in(c, n, o->pod);
		c += n;
	}
}

void tw_cgroup_names_free(struct twstat_reading *s)
{
	size_t i;

	for (i = 0; i < s->nowners; i++)
		free(s->owners[i].name);
	free(s->owners);
	s->owners = NULL;
	s->nowners = 0;
}
