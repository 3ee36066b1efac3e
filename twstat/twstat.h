/* SPDX-License-Identifier: GPL-2.0 */
/* Shared types of twstat: one snapshot of the tw_stats files, parsed. */
#ifndef TWSTAT_H
#define TWSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TWSTAT_VERSION		"1.0"
#define TWSTAT_SCHEMA_VERSION	1

/* Parsers refuse bigger files: a /proc file that size is a bug, not data. */
#define TW_MAX_FILE_BYTES	(64u << 20)
#define TW_ERR_LEN		512
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* One "name value" line of tw_stats, walk_cost or a sysctl. */
struct tw_stat {
	char *name;
	uint64_t value;
};

/* The "name value" files, in file order (JSON keeps that order). */
struct tw_stats {
	struct tw_stat *v;
	size_t n;
};

enum tw_cell_kind {
	TW_CELL_NUM,	/* unsigned decimal, in num */
	TW_CELL_NONE,	/* "-": not applicable */
	TW_CELL_TEXT,	/* an address, an endpoint, a name, "others" */
};

struct tw_cell {
	enum tw_cell_kind kind;
	uint64_t num;
	const char *text;	/* always the cell as written */
};

/* A table file: a header naming the columns, then rows of cells. */
struct tw_table {
	const char *file;	/* name in a snapshot dir, for messages */
	char **cols;
	size_t ncols;
	struct tw_cell *cells;	/* row-major, nrows * ncols */
	size_t nrows;
	bool has_others;	/* the last row is the "others" row */
	char *buf;		/* the file's text, cut into cells */
	bool *col_is_text;	/* addresses and names, never numbers */
};

/* Where a file of a snapshot was, and what reading it gave. */
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

/* The files a snapshot is made of, by their name in a saved directory. */
enum tw_file_id {
	TWF_META,
	TWF_STATS,
	TWF_PORTS,
	TWF_DESTS,
	TWF_DROPS,
	TWF_NETNS,
	TWF_CHAINS,
	TWF_WALK_COST,
	TWF_TW_REUSE,
	TWF_TIMESTAMPS,
	TWF_FIN_TIMEOUT,
	TWF_MAX_TW_BUCKETS,
	TWF_PORT_RANGE,
	TWF_RESERVED_PORTS,
	TWF_SYSCTL_CONF,
	TWF_NETNS_NAMES,
	TWF_COUNT,
};

/* A sysctl as read: absent when the file was not there. */
struct tw_sysctl {
	bool have;
	uint64_t value;
};

/* A setting found in /etc/sysctl.conf and friends ("sysctl_conf" file). */
struct tw_conf_line {
	char *key;	/* last component: tcp_tw_recycle */
	char *value;
	char *where;	/* path:line */
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
	double time_mono;		/* for rates: monotonic (live) or time_real */

	struct tw_stats stats;
	struct tw_table *ports, *dests, *drops, *netns_table, *chains;
	struct tw_stats *walk_cost;

	struct tw_sysctl tw_reuse, timestamps, fin_timeout, max_tw_buckets;
	bool have_port_range;
	uint64_t port_low, port_high;
	char *reserved_ports;		/* as the kernel prints it, or NULL */
	struct tw_conf_line *conf;
	size_t nconf;

	struct tw_netns_name *names;	/* --all-netns only */
	size_t nnames;

	char *notes[8];			/* what could not be read, for people */
	size_t nnotes;

	bool one_file;			/* tw_check_one_file(): no tw_stats needed */
};

extern const char *const tw_file_names[TWF_COUNT];

/* parse.c: every parser returns 0, or -1 with "file:line: why" in err. */
int tw_parse_stats(const char *file, const char *data, size_t len,
		   struct tw_stats *out, char *err);
int tw_parse_sysctl(const char *file, const char *data, size_t len,
		    unsigned int nvalues, uint64_t *values, char *err);
int tw_parse_conf(const char *file, const char *data, size_t len,
		  struct tw_conf_line **out, size_t *n, char *err);
struct tw_table *tw_parse_table(enum tw_file_id id, const char *file,
				const char *data, size_t len, char *err);
void tw_stats_free(struct tw_stats *s);
void tw_table_free(struct tw_table *t);
bool tw_get(const struct tw_stats *s, const char *name, uint64_t *out);
uint64_t tw_get0(const struct tw_stats *s, const char *name);
int tw_col(const struct tw_table *t, const char *name);
const struct tw_cell *tw_cell(const struct tw_table *t, size_t row, int col);
bool tw_cell_num(const struct tw_table *t, size_t row, int col, uint64_t *out);
size_t tw_table_data_rows(const struct tw_table *t);
bool tw_stat_is_counter(const char *name);

/* snapshot.c */
int tw_reading_parse(struct twstat_reading *s, char *err);
int tw_reading_read_live(struct twstat_reading *s, char *err);
int tw_reading_read_dir(struct twstat_reading *s, const char *dir, char *err);
int tw_write_file_atomic(const char *path, const char *data, size_t len,
			 char *err);
int tw_reading_save(const struct twstat_reading *s, const char *dir, char *err);
void tw_reading_free(struct twstat_reading *s);
uint64_t tw_ephemeral_ports(const struct twstat_reading *s);

int tw_reading_add_netns_names(struct twstat_reading *s, char *err);
int tw_check_one_file(enum tw_file_id id, const char *path,
		      const char *data, size_t len, char *err);
const char *tw_root(void);

/* netns_names.c */
bool tw_netns_link_inode(const char *path, uint64_t *out);
char *tw_netns_names_scan(const struct tw_table *t, const char *root);
int tw_parse_netns_names(const char *file, const char *data, size_t len,
			 struct tw_netns_name **out, size_t *n, char *err);
const struct tw_netns_name *tw_netns_name_of(const struct twstat_reading *s,
					     uint64_t netns);
void tw_netns_names_free(struct twstat_reading *s);

/* output.c: the human summary and its watch frame, JSON, Prometheus. */
struct tw_out_opts {
	bool color;
	bool no_header;
	unsigned int top;		/* rows per table / series per family */
};

void tw_print_summary(FILE *f, const struct twstat_reading *prev,
		      const struct twstat_reading *cur,
		      const struct tw_out_opts *o);
void tw_print_json(FILE *f, const struct twstat_reading *s);
void tw_print_prometheus(FILE *f, const struct twstat_reading *s,
			 const struct tw_out_opts *o);
/* --all-netns: the namespace table alone, with names. */
void tw_print_netns_summary(FILE *f, const struct twstat_reading *s,
			    const struct tw_out_opts *o);
void tw_print_netns_json(FILE *f, const struct twstat_reading *s);
void tw_print_netns_prometheus(FILE *f, const struct twstat_reading *s,
			       const struct tw_out_opts *o);

/* advise.c: returns the number of pieces of advice printed. */
unsigned int tw_advise(FILE *f, const struct twstat_reading *prev,
		       const struct twstat_reading *cur);

/* Helpers shared by the outputs. */
void tw_human_bytes(char *buf, size_t len, double bytes);
void tw_human_seconds(char *buf, size_t len, double secs);
double tw_rate(const struct twstat_reading *prev, const struct twstat_reading *cur,
	       uint64_t before, uint64_t after, bool *ok);
size_t *tw_top_ports(const struct tw_table *t, size_t n, size_t *count);
bool tw_dest_growth(const struct twstat_reading *prev,
		    const struct twstat_reading *cur, size_t row, double *per_s);

#endif
