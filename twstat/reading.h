/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A reading, what it holds and its life: read live or from a saved
 * directory (read.c), parsed and checked (reading.c), saved (save.c).
 */
#ifndef TW_READING_H
#define TW_READING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_names.h"
#include "parse.h"
#include "table.h"

/* Where a file of a reading was, and what reading it gave. */
enum tw_file_state {
	TW_FILE_ABSENT,		/* ENOENT: older module or feature off */
	TW_FILE_DENIED,		/* EACCES/EPERM: needs root */
	TW_FILE_PRESENT,
};

struct tw_file {
	const char *name;	/* path inside a saved snapshot dir */
	char *path;		/* where it was read from */
	enum tw_file_state state;
	char *data;		/* NUL-terminated copy of the bytes read */
	size_t len;
};

/* A sysctl as read: absent when the file was not there. */
struct tw_sysctl {
	bool have;
	uint64_t value;
};

/* How an operator knows a namespace of tw_netns ("netns_names" file). */
struct tw_netns_name {
	uint64_t netns;		/* inode */
	char *name;		/* ip netns name (/run/netns), or NULL */
	uint64_t pid;		/* lowest PID living in it, 0 if none */
	char *comm;		/* that process's command, NULL if no pid */
	char *cgroup;		/* its cgroup v2 path, or NULL */
};

/*
 * A reading: the files of one network namespace as read at one moment
 * (live, or a saved --from directory; a "snapshot" on the command line),
 * parsed.  Not the module's struct tw_snapshot, the cached walk it prints.
 */
struct twstat_reading {
	const char *source;		/* "/proc/net" or the --from dir */
	struct tw_file files[TWF_COUNT];
	bool have_netns;
	uint64_t netns;			/* inode of the netns read */
	double time_real;		/* when taken, Unix seconds */
	uint64_t time_ns;		/* the same, exact (meta time_ns); 0: unknown */
	double time_mono;		/* for rates: monotonic (live) or time_real */

	struct tw_stats stats;
	struct tw_table *ports, *dests, *drops, *netns_table, *chains;
	struct tw_table *cgroups;	/* NULL: no tw_cgroups (older module) */
	struct tw_table *nat;		/* NULL: no tw_nat (older module) */
	struct tw_stats *walk_cost;

	struct tw_sysctl tw_reuse, timestamps, fin_timeout, max_tw_buckets;
	/* ms; absent before 6.14, whose rule is "an earlier second" */
	struct tw_sysctl tw_reuse_delay;
	/* net.netfilter.nf_conntrack_tcp_timeout_time_wait, while loaded */
	struct tw_sysctl ct_tw_timeout;
	bool have_port_range;
	uint64_t port_low, port_high;
	char *reserved_ports;		/* as the kernel prints it, or NULL */
	struct tw_conf_line *conf;
	size_t nconf;

	struct tw_netns_name *names;	/* --all-netns only */
	size_t nnames;

	struct tw_owner_name *owners;	/* "cgroup_names": tw_cgroups's */
	size_t nowners;

	char *notes[8];			/* what could not be read, for people */
	size_t nnotes;

	bool one_file;			/* tw_check_one_file(): no tw_stats needed */
};

/*
 * read.c: 0, or -1 with the reason in err; tw_reading_read_live() returns
 * -2 when there is no tw_stats (module not loaded), and only then: a
 * --from directory without one is an error like any other (-1).
 */
int tw_reading_read_live(struct twstat_reading *s, char *err);
int tw_reading_read_dir(struct twstat_reading *s, const char *dir, char *err);
/* --all-netns, live: name the namespaces of the table just read. */
int tw_reading_add_netns_names(struct twstat_reading *s, char *err);
/* The root the live paths hang from: "" unless TWSTAT_ROOT (tests) says. */
const char *tw_root(void);

/* reading.c */
int tw_reading_parse(struct twstat_reading *s, char *err);
int tw_check_one_file(enum tw_file_id id, const char *path,
		      const char *data, size_t len, char *err);
void tw_reading_free(struct twstat_reading *s);
uint64_t tw_ephemeral_ports(const struct twstat_reading *s);

/* save.c */
int tw_reading_save(const struct twstat_reading *s, const char *dir, char *err);
int tw_write_file_atomic(const char *path, const char *data, size_t len,
			 char *err);

#endif
