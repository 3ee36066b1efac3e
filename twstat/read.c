// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a reading: every file twstat reads, kept as the bytes read, from
 * the live /proc, /sys and /etc or from a directory that --save wrote.
 * Both go through the same parsers (reading.c), so a saved copy
 * reproduces a report exactly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "netns_names.h"
#include "reading.h"
#include "sysctl_conf.h"
#include "twstat.h"
#include "util.h"
#include "tw_stats_format.h"

#define PROC_NET	"/proc/net/"
#define PROC_SYSCTL	"/proc/sys/net/ipv4/"
/* there only while nf_conntrack is loaded; reading it loads nothing */
#define PROC_CT_TW_TIMEOUT "/proc/sys/net/netfilter/nf_conntrack_tcp_timeout_time_wait"
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
	ret = tw_read_file(path, TW_MAX_FILE_BYTES, &f->data, &f->len);
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

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Name tw_cgroups's owners now, while the cgroups and users named are
 * this host's, and keep the names as a file of the reading so that
 * --save stores them and --from shows them as they were.
 */
static int add_cgroup_names(struct twstat_reading *s, char *err)
{
	struct tw_file *f = &s->files[TWF_CGROUP_NAMES];

	if (!s->cgroups)
		return 0;
	set_generated(s, TWF_CGROUP_NAMES, tw_cgroup_names_scan(s->cgroups));
	return tw_parse_cgroup_names(f->path, f->data, f->len, &s->owners,
				     &s->nowners, err);
}

int tw_reading_read_live(struct twstat_reading *s, char *err)
{
	static const enum tw_file_id proc_files[] = {
		TWF_STATS, TWF_PORTS, TWF_DESTS, TWF_DROPS, TWF_NETNS, TWF_CGROUPS,
		TWF_NAT,
	};
	static const enum tw_file_id sysctls[] = {
		TWF_TW_REUSE, TWF_TW_REUSE_DELAY, TWF_TIMESTAMPS, TWF_FIN_TIMEOUT,
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

		if (load(s, id, xasprintf("%s" PROC_NET "%s", tw_root(),
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

		if (load(s, id, xasprintf("%s" PROC_SYSCTL "%s", tw_root(),
					  tw_file_names[id] + 7), err))
			return -1;
	}
	if (load(s, TWF_CT_TW_TIMEOUT,
		 xasprintf("%s" PROC_CT_TW_TIMEOUT, tw_root()), err))
		return -1;
	if (s->have_netns) {
		ret = load(s, TWF_CHAINS,
			   xasprintf("%s" DEBUGFS "/" TW_DEBUGFS_DIR "/%llu/" TW_DEBUGFS_CHAINS,
				     tw_root(), (unsigned long long)s->netns), err) ||
		      load(s, TWF_WALK_COST,
			   xasprintf("%s" DEBUGFS "/" TW_DEBUGFS_DIR "/%llu/" TW_DEBUGFS_WALK_COST,
				     tw_root(), (unsigned long long)s->netns), err);
		if (ret)
			return -1;
		if (s->files[TWF_CHAINS].state == TW_FILE_DENIED ||
		    s->files[TWF_WALK_COST].state == TW_FILE_DENIED)
			add_note(s, xasprintf("%s is not readable (needs root): ehash chain lengths and walk cost are not shown",
					      DEBUGFS));
	}
	set_generated(s, TWF_SYSCTL_CONF, tw_scan_sysctl_conf());
	if (tw_reading_parse(s, err))
		return -1;
	return add_cgroup_names(s, err);
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
		return -1;
	}
	for (i = 0; i < TWF_COUNT; i++)
		if (s->files[i].state == TW_FILE_DENIED) {
			snprintf(err, TW_ERR_LEN, "%s: %s", s->files[i].path,
				 strerror(EACCES));
			return -1;
		}
	return tw_reading_parse(s, err);
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
		      tw_netns_names_scan(s->netns_table, tw_root()));
	return tw_parse_netns_names(f->path, f->data, f->len, &s->names,
				    &s->nnames, err);
}
