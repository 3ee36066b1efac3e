// SPDX-License-Identifier: GPL-2.0
// twcheck reads tw_stats's files the hard ways and checks each read with twstat's parser.
/*
 * The torture test's reader (kunit/guest/torture.sh).  A read that fails
 * with an error is fine - the module may be going away, the namespace
 * dying, or an allocation failing on purpose - but a read that succeeds
 * must give a whole, well-formed file: anything twstat would refuse is a
 * bug, counted and saved for the log.
 *
 * With -t it loops until a stop file appears, expanding its patterns
 * again each round, so that one process reads for the whole run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "torture_util.h"
#include "tw_stats_format.h"
#include "reading.h"
#include "util.h"

#define BUF_BYTES	(16u << 20)
#define MAX_SAVED_BAD	3

static const char usage_text[] =
"usage: twcheck [-b BYTES] [-l] [-n ROUNDS] [-F] FILE...\n"
"       twcheck -t STOP [-s SKIP] [-f FAULTS] [-z FILE] [-p MS] [-b BYTES] [-l] [-F]\n"
"               PATTERN...\n"
"\n"
"Reads every FILE ROUNDS times (1) with read() calls of BYTES (65536;\n"
"0: a random size from 1 to 64 per call), -l: first a random part, then\n"
"lseek() back to 0 and the whole file, then lseek() to its middle and\n"
"the rest.  Each whole read is checked with the rules twstat applies to\n"
"that file; one line of counts goes to stdout:\n"
"  twcheck ok=N bad=N gone=N nomem=N intr=N other=N\n"
"bad: read fine but malformed (saved to /tmp/twcheck.bad.PID.N); gone:\n"
"ENOENT, ENODEV, ENXIO or EIO (module or namespace gone); nomem: ENOMEM.\n"
"-F: set /proc/self/make-it-fail around the reads, so that fault\n"
"injection with task-filter aims at what they ask of the kernel.\n"
"-t: read in rounds until the file STOP exists, each round the files\n"
"that the glob PATTERNs match then, pausing MS milliseconds (-p, 0)\n"
"between rounds; -s: while SKIP exists, leave debugfs out (an open\n"
"debugfs file keeps the module from unloading); -f: with -F, fail only\n"
"while FAULTS exists; -z: each round, first write 0 into FILE (a\n"
"cache_ms, so that the reads walk and allocate).\n"
"Exit status: 0, 1 if a read was bad, 64 on bad usage.\n";

struct counts {
	unsigned long ok, bad, gone, nomem, intr, other;
};

struct loop_opts {
	struct tt_control ctl;			/* -t, -s, -f, -p */
	const char *zero;			/* -z: a cache_ms to turn off */
	unsigned long chunk;			/* read() size, 0: random */
	bool seek, fail;
};

static char *buf;

#define usage_err(what) tw_usage_err(64, usage_text, "%s\n", what)

static void count_errno(struct counts *c, int err, const char *path)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:	/* debugfs: the file's module is going away */
	case EIO:
		c->gone++;
		break;
	case ENOMEM:
		c->nomem++;
		break;
	case EINTR:
		c->intr++;
		break;
	default:
		c->other++;
		fprintf(stderr, "twcheck: %s: %s\n", path, strerror(err));
	}
}

/* Read from the current offset to EOF in pieces of @chunk (0: random). */
static ssize_t read_rest(int fd, char *dst, size_t cap, size_t chunk)
{
	size_t n = 0;

	while (n < cap) {
		size_t want = chunk ? chunk : 1 + tt_rnd() % 64;
		ssize_t r;

		if (want > cap - n)
			want = cap - n;
		r = read(fd, dst + n, want);
		if (r < 0)
			return -errno;
		if (r == 0)
			return n;
		n += r;
	}
	return -EFBIG;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* walk_history, all_netns_walk: a header of names, rows of numbers. */
static int check_number_table(const char *path, char *data, size_t len,
			      char *err)
{
	size_t line = 0, cols = 0, off = 0;

	if (!len || data[len - 1] != '\n')
		return snprintf(err, TW_ERR_LEN, "%s: empty or cut short", path), -1;
	while (off < len) {
		char *nl = memchr(data + off, '\n', len - off);
		char *tok, *save = NULL;
		size_t n = 0;

		*nl = '\0';
		line++;
		for (tok = strtok_r(data + off, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save)) {
			size_t good = line == 1 ?
				strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789_") :
				strspn(tok, "0123456789");

			if (good != strlen(tok))
				return snprintf(err, TW_ERR_LEN, "%s:%zu: bad field '%.32s'",
						path, line, tok), -1;
			n++;
		}
		if (line == 1)
			cols = n;
		if (!n || n != cols)
			return snprintf(err, TW_ERR_LEN, "%s:%zu: %zu fields, header has %zu",
					path, line, n, cols), -1;
		off = nl - data + 1;
	}
	return 0;
}

/*
 * A table file of the format contract that twstat does not parse (yet):
 * the header from its column list, rows of its kinds, and last an
 * others row ("others", then "-" where the key's second cell is).
 */
enum twck_kind { TWCK_NUM, TWCK_NUM_OR_NONE };
#define TWCK_KIND(name, kind, presence)	TWCK_##kind,
static const enum twck_kind cgroups_kinds[] = { TW_CGROUPS_COLUMNS(TWCK_KIND) };

static bool cell_ok(const char *tok, enum twck_kind kind)
{
	if (kind == TWCK_NUM_OR_NONE && !strcmp(tok, TW_NO_VALUE))
		return true;
	return *tok && strspn(tok, "0123456789") == strlen(tok);
}

static int check_kinds_table(const char *path, char *data, size_t len,
			     const char *header, const enum twck_kind *kinds,
			     size_t ncols, char *err)
{
	size_t line = 0, off = 0;
	bool others = false;

	if (!len || data[len - 1] != '\n')
		return snprintf(err, TW_ERR_LEN, "%s: empty or cut short", path), -1;
	while (off < len) {
		char *nl = memchr(data + off, '\n', len - off);
		char *tok, *save = NULL;
		size_t n = 0;

		*nl = '\0';
		line++;
		if (line == 1) {
			if (strcmp(data + off, header))
				return snprintf(err, TW_ERR_LEN, "%s: header '%.64s'",
						path, data + off), -1;
			off = nl - data + 1;
			continue;
		}
		if (others)
			return snprintf(err, TW_ERR_LEN, "%s:%zu: a row after others",
					path, line), -1;
		for (tok = strtok_r(data + off, " ", &save); tok;
		     tok = strtok_r(NULL, " ", &save), n++) {
			bool ok;

			if (n >= ncols)
				break;
			if (n == 0 && !strcmp(tok, TW_OTHERS_ROW))
				others = ok = true;
			else if (n == 1 && others)
				ok = !strcmp(tok, TW_NO_VALUE);
			else
				ok = cell_ok(tok, kinds[n]);
			if (!ok)
				return snprintf(err, TW_ERR_LEN, "%s:%zu: bad field '%.32s'",
						path, line, tok), -1;
		}
		if (n != ncols || tok)
			return snprintf(err, TW_ERR_LEN, "%s:%zu: not %zu fields",
					path, line, ncols), -1;
		off = nl - data + 1;
	}
	if (!others)
		return snprintf(err, TW_ERR_LEN, "%s: no others row", path), -1;
	return 0;
}

/* Check one whole read of @path with the rules for that file. */
static int check_data(const char *path, char *data, size_t len, char *err)
{
	static const char *const tunables[] = { "cache_ms", "top_n" };
	/* debugfs files twstat does not read, in walk_cost's "name value" form */
	static const char *const name_values[] = {
		TW_DEBUGFS_MEMORY, TW_DEBUGFS_WALK_FLOOR, TW_DEBUGFS_WALK_PHASES,
	};
	const char *base = base_name(path);
	uint64_t v;
	int id;

	for (id = 0; id < TWF_COUNT; id++) {
		const char *n = tw_file_names[id];
		const char *slash = strrchr(n, '/');

		if (id == TWF_META || id == TWF_SYSCTL_CONF ||
		    id == TWF_NETNS_NAMES || id == TWF_CGROUP_NAMES)
			continue;
		if (strcmp(base, slash ? slash + 1 : n))
			continue;
		/* tw_cgroups: twstat's parser, then the stricter kinds below */
		if (id != TWF_CGROUPS || tw_check_one_file(id, path, data, len, err))
			return tw_check_one_file(id, path, data, len, err);
	}
	for (id = 0; id < (int)ARRAY_SIZE(tunables); id++)
		if (!strcmp(base, tunables[id]))
			return tw_parse_sysctl(path, data, len, 1, &v, err);
	for (id = 0; id < (int)ARRAY_SIZE(name_values); id++)
		if (!strcmp(base, name_values[id]))
			return tw_check_one_file(TWF_WALK_COST, path, data, len, err);
	if (strstr(path, "/parameters/"))
		return tw_parse_sysctl(path, data, len, 1, &v, err);
	if (!strcmp(base, TW_PROC_CGROUPS))
		return check_kinds_table(path, data, len,
					 TW_TABLE_HEADER(TW_CGROUPS_COLUMNS),
					 cgroups_kinds, ARRAY_SIZE(cgroups_kinds), err);
	return check_number_table(path, data, len, err);
}

static void save_bad(const char *path, const char *data, size_t len,
		     const char *err)
{
	static unsigned int saved;
	char name[64];
	FILE *f;

	fprintf(stderr, "twcheck: BAD %s\n", err);
	if (saved >= MAX_SAVED_BAD)
		return;
	snprintf(name, sizeof(name), "/tmp/twcheck.bad.%d.%u", (int)getpid(),
		 saved++);
	f = fopen(name, "w");
	if (!f)
		return;
	fprintf(f, "%s\n", path);
	fwrite(data, 1, len, f);
	fclose(f);
	fprintf(stderr, "twcheck: the bad read of %s is in %s\n", path, name);
}

static void check_file(struct counts *c, const char *path, size_t chunk,
		       bool seek)
{
	char err[TW_ERR_LEN];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		count_errno(c, errno, path);
		return;
	}
	if (seek) {
		size_t part = 1 + tt_rnd() % 200;

		n = read(fd, buf, part);
		if (n < 0) {
			count_errno(c, errno, path);
			close(fd);
			return;
		}
		if (lseek(fd, 0, SEEK_SET) != 0) {
			/* /proc answers lseek() on a removed entry so */
			count_errno(c, errno == EINVAL ? EIO : errno, path);
			close(fd);
			return;
		}
	}
	n = read_rest(fd, buf, BUF_BYTES - 1, chunk);
	if (n < 0) {
		count_errno(c, -n, path);
		close(fd);
		return;
	}
	if (check_data(path, buf, n, err)) {
		c->bad++;
		save_bad(path, buf, n, err);
	} else {
		c->ok++;
	}
	/* from the middle on: only that the file answers */
	if (seek && n > 1 && lseek(fd, n / 2, SEEK_SET) == n / 2) {
		n = read_rest(fd, buf, BUF_BYTES - 1, chunk);
		if (n < 0)
			count_errno(c, -n, path);
	}
	close(fd);
}

/* -z: best effort; the file is gone while the module is unloaded */
static void write_zero(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, "0", 1) != 1)
		perror(path);
	close(fd);
}

/* -t: rounds until @stop exists, over what the patterns match each round. */
static void check_loop(struct counts *c, char **patterns, int n,
		       const struct loop_opts *o)
{
	glob_t g;
	size_t i;

	while (!tt_exists(o->ctl.stop)) {
		tt_glob_all(patterns, n, &g);
		if (o->zero && !tt_keep_out(o->zero, o->ctl.skip))
			write_zero(o->zero);
		if (o->fail)
			tt_make_it_fail(!o->ctl.faults || tt_exists(o->ctl.faults));
		for (i = 0; i < g.gl_pathc; i++)
			if (!tt_keep_out(g.gl_pathv[i], o->ctl.skip))
				check_file(c, g.gl_pathv[i], o->chunk, o->seek);
		if (o->fail)
			tt_make_it_fail(false);
		globfree(&g);
		tt_sleep_ms(o->ctl.pause_ms);
	}
}

int main(int argc, char **argv)
{
	struct counts c = { 0 };
	struct loop_opts o = { .chunk = 65536 };
	unsigned long rounds = 1, r;
	int opt, i, ctl;

	tw_prog = "twcheck";
	while ((opt = getopt(argc, argv, "b:ln:Fz:h" TT_CONTROL_OPTS)) != -1) {
		ctl = tt_control_opt(opt, optarg, &o.ctl);
		if (ctl < 0)
			usage_err("-p: bad pause");
		if (ctl)
			continue;
		switch (opt) {
		case 'b':
			if (!tw_parse_ulong(optarg, 0, BUF_BYTES, &o.chunk))
				usage_err("-b: bad size");
			break;
		case 'l':
			o.seek = true;
			break;
		case 'n':
			if (!tw_parse_ulong(optarg, 1, 1000000, &rounds))
				usage_err("-n: bad count");
			break;
		case 'F':
			o.fail = true;
			break;
		case 'z':
			o.zero = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			usage_err("bad option");
		}
	}
	if (optind == argc)
		usage_err("no file to read");
	if ((o.ctl.skip || o.ctl.faults || o.zero || o.ctl.pause_ms) && !o.ctl.stop)
		usage_err("-s, -f, -z and -p go with -t");
	tt_rnd_seed();
	/* touched now, so that no page fault of ours meets an injected fault */
	buf = malloc(BUF_BYTES);
	if (!buf) {
		perror("twcheck");
		return 1;
	}
	memset(buf, 0, BUF_BYTES);
	if (o.ctl.stop) {
		check_loop(&c, argv + optind, argc - optind, &o);
	} else {
		if (o.fail)
			tt_make_it_fail(true);
		for (r = 0; r < rounds; r++)
			for (i = optind; i < argc; i++)
				check_file(&c, argv[i], o.chunk, o.seek);
	}
	printf("twcheck ok=%lu bad=%lu gone=%lu nomem=%lu intr=%lu other=%lu\n",
	       c.ok, c.bad, c.gone, c.nomem, c.intr, c.other);
	return c.bad ? 1 : 0;
}
