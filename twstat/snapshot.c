// SPDX-License-Identifier: GPL-2.0
/*
 * A snapshot is every file twstat reads, kept as the bytes read: from the
 * live /proc, /sys and /etc, or from a directory that --save wrote.  Both
 * go through the same parsers, so a saved copy reproduces a report exactly.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "twstat.h"
#include "util.h"

#define PROC_NET	"/proc/net/"
#define PROC_SYSCTL	"/proc/sys/net/ipv4/"
#define DEBUGFS		"/sys/kernel/debug"

/*
 * TWSTAT_ROOT (tests only) puts a fake tree under the live paths, so
 * the host tests can run the live reader without the module.
 */
const char *tw_root(void)
{
	const char *r = getenv("TWSTAT_ROOT");

	return r ? r : "";
}

#define root tw_root

/* Read a whole file, /proc ones included (they report size 0). */
static int read_all(const char *path, char **data, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	for (;;) {
		ssize_t r;

		if (n == cap) {
			char *nb;

			if (cap > TW_MAX_FILE_BYTES) {
				err = -EFBIG;
				goto out_err;
			}
			cap *= 2;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				err = -ENOMEM;
				goto out_err;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out_err;
		}
		if (r == 0)
			break;
		n += r;
	}
	close(fd);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return 0;
out_err:
	close(fd);
	free(buf);
	return err;
}

static void add_note(struct twstat_reading *s, char *note)
{
	if (s->nnotes < ARRAY_SIZE(s->notes))
		s->notes[s->nnotes++] = note;
	else
		free(note);
}

/* Read one file into the snapshot; only I/O errors other than absence fail. */
static int load(struct twstat_reading *s, enum tw_file_id id, char *path,
		char *err)
{
	struct tw_file *f = &s->files[id];
	int ret;

	f->name = tw_file_names[id];
	f->path = path;
	ret = read_all(path, &f->data, &f->len);
	if (!ret) {
		f->state = TW_FILE_PRESENT;
		return 0;
	}
	if (ret == -ENOENT || ret == -ENOTDIR) {
		f->state = TW_FILE_ABSENT;
		return 0;
	}
	if (ret == -EACCES || ret == -EPERM) {
		f->state = TW_FILE_DENIED;
		return 0;
	}
	snprintf(err, TW_ERR_LEN, "%s: %s", path, strerror(-ret));
	return -1;
}

static void set_generated(struct twstat_reading *s, enum tw_file_id id,
			  char *text)
{
	struct tw_file *f = &s->files[id];

	f->name = tw_file_names[id];
	f->path = xasprintf("(%s)", f->name);
	f->state = TW_FILE_PRESENT;
	f->data = text;
	f->len = strlen(text);
}

static const char *const sysctl_conf_keys[] = {
	"tcp_tw_recycle", "tcp_tw_reuse", "tcp_fin_timeout",
	"tcp_max_tw_buckets", "tcp_timestamps", "ip_local_port_range",
	NULL
};

/* One line of a sysctl.d file: keep the settings advice may point at. */
static void conf_scan_line(char **out, size_t *outlen, const char *path,
			   size_t lineno, char *line)
{
	char *eq, *key, *val, *end, *last, *p;
	const char *const *k;

	while (*line == ' ' || *line == '\t' || *line == '-')
		line++;
	if (*line == '#' || *line == ';')
		return;
	eq = strchr(line, '=');
	if (!eq)
		return;
	*eq = '\0';
	key = line;
	for (end = eq; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	val = eq + 1;
	while (*val == ' ' || *val == '\t')
		val++;
	for (end = val + strlen(val); end > val && (end[-1] == ' ' ||
	     end[-1] == '\t' || end[-1] == '\r'); end--)
		;
	*end = '\0';
	for (p = key; *p; p++)
		if (*p == '/')
			*p = '.';
	if (strncmp(key, "net.ipv4.", 9) || !*val)
		return;
	last = key + 9;
	for (k = sysctl_conf_keys; *k; k++)
		if (!strcmp(last, *k))
			break;
	if (!*k)
		return;
	for (p = val; *p; p++)
		if (*p == '\t')
			*p = ' ';
	{
		char *add = xasprintf("%s\t%s\t%s:%zu\n", last, val, path, lineno);
		size_t n = strlen(add);
		char *grown = xrealloc(*out, *outlen + n + 1);

		memcpy(grown + *outlen, add, n + 1);
		*out = grown;
		*outlen += n;
		free(add);
	}
}

static void conf_scan_file(char **out, size_t *outlen, const char *path)
{
	size_t len, lineno = 0;
	char *data, *line, *next;

	if (read_all(path, &data, &len))
		return;
	for (line = data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		conf_scan_line(out, outlen, path, ++lineno, line);
	}
	free(data);
}

static int conf_name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int conf_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".conf");
}

/* The places systemd-sysctl and procps read, in their usual order. */
static char *scan_sysctl_conf(void)
{
	static const char *const dirs[] = {
		"/usr/lib/sysctl.d", "/lib/sysctl.d", "/usr/local/lib/sysctl.d",
		"/run/sysctl.d", "/etc/sysctl.d", NULL
	};
	char *out = xcalloc(1, 1), *path;
	size_t outlen = 0;
	const char *const *d;

	for (d = dirs; *d; d++) {
		struct dirent **names;
		char *dir = xasprintf("%s%s", root(), *d);
		int n, i;

		n = scandir(dir, &names, conf_filter, conf_name_cmp);
		for (i = 0; i < n; i++) {
			char *path = xasprintf("%s/%s", dir, names[i]->d_name);

			conf_scan_file(&out, &outlen, path);
			free(path);
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		free(dir);
	}
	path = xasprintf("%s/etc/sysctl.conf", root());
	conf_scan_file(&out, &outlen, path);
	free(path);
	return out;
}

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int tw_reading_read_live(struct twstat_reading *s, char *err)
{
	static const enum tw_file_id proc_files[] = {
		TWF_STATS, TWF_PORTS, TWF_DESTS, TWF_DROPS, TWF_NETNS,
	};
	static const enum tw_file_id sysctls[] = {
		TWF_TW_REUSE, TWF_TIMESTAMPS, TWF_FIN_TIMEOUT,
		TWF_MAX_TW_BUCKETS, TWF_PORT_RANGE, TWF_RESERVED_PORTS,
	};
	struct timespec ts;
	struct stat st;
	size_t i;
	int ret;

	memset(s, 0, sizeof(*s));
	s->source = "/proc/net";
	clock_gettime(CLOCK_REALTIME, &ts);
	s->time_mono = now(CLOCK_MONOTONIC);
	/* /proc/self follows setns(), so this is the netns we read */
	if (stat("/proc/self/ns/net", &st) == 0) {
		s->have_netns = true;
		s->netns = st.st_ino;
	}
	set_generated(s, TWF_META, s->have_netns ?
		      xasprintf("schema_version %d\ntime_ns %llu\nnetns %llu\n",
				TWSTAT_SCHEMA_VERSION,
				(unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec,
				(unsigned long long)s->netns) :
		      xasprintf("schema_version %d\ntime_ns %llu\n",
				TWSTAT_SCHEMA_VERSION,
				(unsigned long long)ts.tv_sec * 1000000000ULL + ts.tv_nsec));
	for (i = 0; i < ARRAY_SIZE(proc_files); i++) {
		enum tw_file_id id = proc_files[i];

		if (load(s, id, xasprintf("%s" PROC_NET "%s", root(),
					  tw_file_names[id]), err))
			return -1;
	}
	if (s->files[TWF_STATS].state != TW_FILE_PRESENT) {
		snprintf(err, TW_ERR_LEN,
			 "the tw_stats module is not loaded (no " PROC_NET
			 "tw_stats): load it with 'modprobe tw_stats' or 'insmod tw_stats.ko'");
		return -2;
	}
	if (s->files[TWF_NETNS].state == TW_FILE_DENIED)
		add_note(s, xasprintf("%stw_netns needs root: the per-namespace table is not shown",
				      PROC_NET));
	for (i = 0; i < ARRAY_SIZE(sysctls); i++) {
		enum tw_file_id id = sysctls[i];

		if (load(s, id, xasprintf("%s" PROC_SYSCTL "%s", root(),
					  tw_file_names[id] + 7), err))
			return -1;
	}
	if (s->have_netns) {
		ret = load(s, TWF_CHAINS,
			   xasprintf("%s" DEBUGFS "/tw_stats/%llu/chain_lengths",
				     root(), (unsigned long long)s->netns), err) ||
		      load(s, TWF_WALK_COST,
			   xasprintf("%s" DEBUGFS "/tw_stats/%llu/walk_cost",
				     root(), (unsigned long long)s->netns), err);
		if (ret)
			return -1;
		if (s->files[TWF_CHAINS].state == TW_FILE_DENIED ||
		    s->files[TWF_WALK_COST].state == TW_FILE_DENIED)
			add_note(s, xasprintf("%s is not readable (needs root): ehash chain lengths and walk cost are not shown",
					      DEBUGFS));
	}
	set_generated(s, TWF_SYSCTL_CONF, scan_sysctl_conf());
	return tw_reading_parse(s, err);
}

int tw_reading_read_dir(struct twstat_reading *s, const char *dir, char *err)
{
	struct stat st;
	int i;

	memset(s, 0, sizeof(*s));
	s->source = dir;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, TW_ERR_LEN, "%s: not a directory", dir);
		return -1;
	}
	for (i = 0; i < TWF_COUNT; i++)
		if (load(s, i, xasprintf("%s/%s", dir, tw_file_names[i]), err))
			return -1;
	if (s->files[TWF_STATS].state != TW_FILE_PRESENT) {
		snprintf(err, TW_ERR_LEN,
			 "%s: no tw_stats file: not a snapshot saved by 'twstat --save'",
			 dir);
		return -2;
	}
	for (i = 0; i < TWF_COUNT; i++)
		if (s->files[i].state == TW_FILE_DENIED) {
			snprintf(err, TW_ERR_LEN, "%s: %s", s->files[i].path,
				 strerror(EACCES));
			return -1;
		}
	return tw_reading_parse(s, err);
}

/* The path a message should name: the live file, or the saved copy. */
static const char *fname(const struct twstat_reading *s, enum tw_file_id id)
{
	return s->files[id].path;
}

static int parse_sysctl(struct twstat_reading *s, enum tw_file_id id,
			struct tw_sysctl *out, char *err)
{
	const struct tw_file *f = &s->files[id];

	if (f->state != TW_FILE_PRESENT)
		return 0;
	if (tw_parse_sysctl(fname(s, id), f->data, f->len, 1, &out->value, err))
		return -1;
	out->have = true;
	return 0;
}

static struct tw_table *table(struct twstat_reading *s, enum tw_file_id id,
			      char *err, int *ret)
{
	const struct tw_file *f = &s->files[id];
	struct tw_table *t;

	if (*ret || f->state != TW_FILE_PRESENT)
		return NULL;
	t = tw_parse_table(id, fname(s, id), f->data, f->len, err);
	if (!t)
		*ret = -1;
	return t;
}

/* "a + b == total", false also when the sum does not fit. */
static bool sums_to(const struct tw_stats *st, const char *a, const char *b,
		    uint64_t total, uint64_t *va, uint64_t *vb)
{
	uint64_t sum;

	if (!tw_get(st, a, va) || !tw_get(st, b, vb))
		return true;
	return !__builtin_add_overflow(*va, *vb, &sum) && sum == total;
}

/*
 * The module takes every number of one tw_stats read from one walk, so
 * the parts add up; if they do not, the file is not what it claims to be
 * and no number of it can be trusted.
 */
static int check_consistent(struct twstat_reading *s, char *err)
{
	const struct tw_stats *st = &s->stats;
	uint64_t total = tw_get0(st, "tw_total"), a, b, prev = 0;
	unsigned long secs, last_secs = 0;
	size_t i;

	if (!sums_to(st, "tw_time_wait", "tw_fin_wait2", total, &a, &b) ||
	    !sums_to(st, "tw_ipv4", "tw_ipv6", total, &a, &b)) {
		snprintf(err, TW_ERR_LEN,
			 "%s: inconsistent: %llu + %llu != tw_total %llu",
			 fname(s, TWF_STATS), (unsigned long long)a,
			 (unsigned long long)b, (unsigned long long)total);
		return -1;
	}
	/* the histogram is cumulative, whatever order its lines come in */
	for (;;) {
		size_t best = st->n;
		unsigned long best_secs = ULONG_MAX;

		for (i = 0; i < st->n; i++) {
			int used = 0;

			if (sscanf(st->v[i].name, "tw_expires_le_%lus%n", &secs,
				   &used) != 1 || st->v[i].name[used] ||
			    secs <= last_secs || secs >= best_secs)
				continue;
			best = i;
			best_secs = secs;
		}
		if (best == st->n)
			break;
		if (st->v[best].value < prev || st->v[best].value > total) {
			snprintf(err, TW_ERR_LEN,
				 "%s:%zu: inconsistent: %s %llu is not cumulative (shorter bucket %llu, tw_total %llu)",
				 fname(s, TWF_STATS), best + 1, st->v[best].name,
				 (unsigned long long)st->v[best].value,
				 (unsigned long long)prev,
				 (unsigned long long)total);
			return -1;
		}
		last_secs = best_secs;
		prev = st->v[best].value;
	}
	return 0;
}

int tw_reading_parse(struct twstat_reading *s, char *err)
{
	struct tw_file *f;
	uint64_t v[2];
	int ret = 0;

	f = &s->files[TWF_META];
	if (f->state == TW_FILE_PRESENT) {
		struct tw_stats meta;
		uint64_t t;

		if (tw_parse_stats(fname(s, TWF_META), f->data, f->len, &meta, err))
			return -1;
		s->have_netns = tw_get(&meta, "netns", &s->netns);
		if (tw_get(&meta, "time_ns", &t)) {
			s->time_real = t / 1e9;
			if (!s->time_mono)
				s->time_mono = s->time_real;
		}
		tw_stats_free(&meta);
	}
	f = &s->files[TWF_STATS];
	if (f->state == TW_FILE_PRESENT || !s->one_file) {
		if (tw_parse_stats(fname(s, TWF_STATS), f->data, f->len,
				   &s->stats, err))
			return -1;
		if (!tw_get(&s->stats, "tw_total", v)) {
			snprintf(err, TW_ERR_LEN, "%s: no tw_total line: %s",
				 fname(s, TWF_STATS),
				 f->len ? "not a tw_stats file" : "the file is empty");
			return -1;
		}
		if (check_consistent(s, err))
			return -1;
	}
	s->ports = table(s, TWF_PORTS, err, &ret);
	s->dests = table(s, TWF_DESTS, err, &ret);
	s->drops = table(s, TWF_DROPS, err, &ret);
	s->netns_table = table(s, TWF_NETNS, err, &ret);
	s->chains = table(s, TWF_CHAINS, err, &ret);
	if (ret)
		return -1;
	f = &s->files[TWF_WALK_COST];
	if (f->state == TW_FILE_PRESENT) {
		s->walk_cost = calloc(1, sizeof(*s->walk_cost));
		if (!s->walk_cost ||
		    tw_parse_stats(fname(s, TWF_WALK_COST), f->data, f->len,
				   s->walk_cost, err))
			return -1;
	}
	if (parse_sysctl(s, TWF_TW_REUSE, &s->tw_reuse, err) ||
	    parse_sysctl(s, TWF_TIMESTAMPS, &s->timestamps, err) ||
	    parse_sysctl(s, TWF_FIN_TIMEOUT, &s->fin_timeout, err) ||
	    parse_sysctl(s, TWF_MAX_TW_BUCKETS, &s->max_tw_buckets, err))
		return -1;
	f = &s->files[TWF_PORT_RANGE];
	if (f->state == TW_FILE_PRESENT) {
		if (tw_parse_sysctl(fname(s, TWF_PORT_RANGE), f->data, f->len,
				    2, v, err))
			return -1;
		if (v[0] > 65535 || v[1] > 65535 || v[0] > v[1]) {
			snprintf(err, TW_ERR_LEN, "%s:1: not a port range",
				 fname(s, TWF_PORT_RANGE));
			return -1;
		}
		s->have_port_range = true;
		s->port_low = v[0];
		s->port_high = v[1];
	}
	f = &s->files[TWF_RESERVED_PORTS];
	if (f->state == TW_FILE_PRESENT) {
		size_t n = strcspn(f->data, "\n");

		if (n != f->len - 1 || strspn(f->data, "0123456789,-") != n) {
			snprintf(err, TW_ERR_LEN, "%s:1: not a port list",
				 fname(s, TWF_RESERVED_PORTS));
			return -1;
		}
		s->reserved_ports = strndup(f->data, n);
	}
	f = &s->files[TWF_SYSCTL_CONF];
	if (f->state == TW_FILE_PRESENT &&
	    tw_parse_conf(fname(s, TWF_SYSCTL_CONF), f->data, f->len,
			  &s->conf, &s->nconf, err))
		return -1;
	f = &s->files[TWF_NETNS_NAMES];
	if (f->state == TW_FILE_PRESENT &&
	    tw_parse_netns_names(fname(s, TWF_NETNS_NAMES), f->data, f->len,
				 &s->names, &s->nnames, err))
		return -1;
	return 0;
}

/*
 * One file alone, with the rules a snapshot applies to it: for twcheck,
 * the torture test's reader, which must find every read well formed.
 */
int tw_check_one_file(enum tw_file_id id, const char *path,
		      const char *data, size_t len, char *err)
{
	struct twstat_reading s;
	int ret;

	memset(&s, 0, sizeof(s));
	s.source = path;
	s.one_file = true;
	s.files[id].name = tw_file_names[id];
	s.files[id].path = xasprintf("%s", path);
	s.files[id].state = TW_FILE_PRESENT;
	s.files[id].data = malloc(len + 1);
	if (!s.files[id].data) {
		snprintf(err, TW_ERR_LEN, "%s: out of memory", path);
		tw_reading_free(&s);
		return -1;
	}
	memcpy(s.files[id].data, data, len);
	s.files[id].data[len] = '\0';
	s.files[id].len = len;
	ret = tw_reading_parse(&s, err);
	tw_reading_free(&s);
	return ret;
}

/*
 * --all-netns, live: name the namespaces of the table read just now.
 * Not part of every live read, since it walks all of /proc.
 */
int tw_reading_add_netns_names(struct twstat_reading *s, char *err)
{
	struct tw_file *f = &s->files[TWF_NETNS_NAMES];

	if (!s->netns_table)
		return 0;
	tw_netns_names_free(s);
	free(f->path);
	free(f->data);
	set_generated(s, TWF_NETNS_NAMES,
		      tw_netns_names_scan(s->netns_table, root()));
	return tw_parse_netns_names(fname(s, TWF_NETNS_NAMES), f->data, f->len,
				    &s->names, &s->nnames, err);
}

/* Write @data to @path through a temporary file: readers never see half. */
static int write_atomic(const char *path, const char *data, size_t len,
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

int tw_write_file_atomic(const char *path, const char *data, size_t len,
			 char *err)
{
	return write_atomic(path, data, len, err);
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
			ret = write_atomic(path, f->data, f->len, err);
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

void tw_reading_free(struct twstat_reading *s)
{
	size_t i;

	for (i = 0; i < TWF_COUNT; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	tw_stats_free(&s->stats);
	tw_table_free(s->ports);
	tw_table_free(s->dests);
	tw_table_free(s->drops);
	tw_table_free(s->netns_table);
	tw_table_free(s->chains);
	if (s->walk_cost) {
		tw_stats_free(s->walk_cost);
		free(s->walk_cost);
	}
	free(s->reserved_ports);
	for (i = 0; i < s->nconf; i++) {
		free(s->conf[i].key);
		free(s->conf[i].value);
		free(s->conf[i].where);
	}
	free(s->conf);
	tw_netns_names_free(s);
	for (i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	memset(s, 0, sizeof(*s));
}

/* Ports connect() may pick: the module's count, else the sysctl range. */
uint64_t tw_ephemeral_ports(const struct twstat_reading *s)
{
	uint64_t n;

	if (tw_get(&s->stats, "ephemeral_ports", &n) && n)
		return n;
	if (s->have_port_range)
		return s->port_high - s->port_low + 1;
	return 0;
}
