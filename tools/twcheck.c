// SPDX-License-Identifier: GPL-2.0
// twcheck reads tw_stats's files the hard ways and checks each read with twstat's parser.
/*
 * The torture test's reader (kunit/guest/torture.sh).  A read that fails
 * with an error is fine - the module may be going away, the namespace
 * dying, or an allocation failing on purpose - but a read that succeeds
 * must give a whole, well-formed file: anything twstat would refuse is a
 * bug, counted and saved for the log.
 *
 * It also loads a module with finit_module(2) (-L), so that fault
 * injection aimed at this process hits the module's load and init and
 * nothing of a shell or of insmod.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli_num.h"
#include "twstat.h"

#define BUF_BYTES	(16u << 20)
#define MAX_SAVED_BAD	3

static const char usage_text[] =
"usage: twcheck [-b BYTES] [-l] [-n ROUNDS] [-F] FILE...\n"
"       twcheck -L MODULE.ko [PARAMS] [-F]\n"
"\n"
"Reads every FILE ROUNDS times (1) with read() calls of BYTES (65536;\n"
"0: a random size from 1 to 64 per call), -l: first a random part, then\n"
"lseek() back to 0 and the whole file, then lseek() to its middle and\n"
"the rest.  Each whole read is checked with the rules twstat applies to\n"
"that file; one line of counts goes to stdout:\n"
"  twcheck ok=N bad=N gone=N nomem=N intr=N other=N\n"
"bad: read fine but malformed (saved to /tmp/twcheck.bad.PID.N); gone:\n"
"ENOENT, ENODEV, ENXIO or EIO (module or namespace gone); nomem: ENOMEM.\n"
"-F: after setup, set /proc/self/make-it-fail, so that fault injection\n"
"with task-filter aims at what this process asks of the kernel.\n"
"-L: load MODULE.ko with finit_module(2); exit 0 if it loaded.\n"
"Exit status: 0, 1 if a read was bad, 64 on bad usage.\n";

struct counts {
	unsigned long ok, bad, gone, nomem, intr, other;
};

static char *buf;
static unsigned long rnd_state;

static unsigned long rnd(void)
{
	/* xorshift: reproducible enough, no libc state */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void __attribute__((noreturn)) usage_err(const char *what)
{
	fprintf(stderr, "twcheck: %s\n%s", what, usage_text);
	exit(64);
}

static void make_it_fail(void)
{
	int fd = open("/proc/self/make-it-fail", O_WRONLY);

	if (fd < 0 || write(fd, "1", 1) != 1) {
		perror("twcheck: /proc/self/make-it-fail");
		exit(1);
	}
	close(fd);
}

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
		size_t want = chunk ? chunk : 1 + rnd() % 64;
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

/* Check one whole read of @path with the rules for that file. */
static int check_data(const char *path, char *data, size_t len, char *err)
{
	static const char *const tunables[] = { "cache_ms", "top_n" };
	const char *base = base_name(path);
	uint64_t v;
	int id;

	for (id = 0; id < TWF_COUNT; id++) {
		const char *n = tw_file_names[id];
		const char *slash = strrchr(n, '/');

		if (id == TWF_META || id == TWF_SYSCTL_CONF || id == TWF_NETNS_NAMES)
			continue;
		if (!strcmp(base, slash ? slash + 1 : n))
			return tw_check_one_file(id, path, data, len, err);
	}
	for (id = 0; id < (int)ARRAY_SIZE(tunables); id++)
		if (!strcmp(base, tunables[id]))
			return tw_parse_sysctl(path, data, len, 1, &v, err);
	if (strstr(path, "/parameters/"))
		return tw_parse_sysctl(path, data, len, 1, &v, err);
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
		size_t part = 1 + rnd() % 200;

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

static int load_module(const char *path, const char *params, bool fail)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	if (fail)
		make_it_fail();
	if (syscall(SYS_finit_module, fd, params, 0)) {
		printf("twcheck load failed: %s\n", strerror(errno));
		return 1;
	}
	printf("twcheck load ok\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct counts c = { 0 };
	const char *load = NULL;
	unsigned long rounds = 1, chunk = 65536, r;
	bool seek = false, fail = false;
	int opt, i;

	while ((opt = getopt(argc, argv, "b:ln:FL:h")) != -1) {
		switch (opt) {
		case 'b':
			if (!parse_num(optarg, 0, BUF_BYTES, &chunk))
				usage_err("-b: bad size");
			break;
		case 'l':
			seek = true;
			break;
		case 'n':
			if (!parse_num(optarg, 1, 1000000, &rounds))
				usage_err("-n: bad count");
			break;
		case 'F':
			fail = true;
			break;
		case 'L':
			load = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			usage_err("bad option");
		}
	}
	if (load)
		return load_module(load, optind < argc ? argv[optind] : "", fail);
	if (optind == argc)
		usage_err("no file to read");
	rnd_state = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)time(NULL);
	if (!rnd_state)
		rnd_state = 1;
	/* touched now, so that no page fault of ours meets an injected fault */
	buf = malloc(BUF_BYTES);
	if (!buf) {
		perror("twcheck");
		return 1;
	}
	memset(buf, 0, BUF_BYTES);
	if (fail)
		make_it_fail();
	for (r = 0; r < rounds; r++)
		for (i = optind; i < argc; i++)
			check_file(&c, argv[i], chunk, seek);
	printf("twcheck ok=%lu bad=%lu gone=%lu nomem=%lu intr=%lu other=%lu\n",
	       c.ok, c.bad, c.gone, c.nomem, c.intr, c.other);
	return c.bad ? 1 : 0;
}
