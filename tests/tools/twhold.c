// SPDX-License-Identifier: GPL-2.0
// twhold opens a file many times, keeps every descriptor open, and says how the opens went.
/*
 * The reader_memory scenario's reader: what an unprivileged user can make
 * the kernel hold by keeping table files open.  It opens FILE N times,
 * in ROUNDS equal rounds MS milliseconds apart (so the opens span ROUNDS
 * cache intervals when MS is one), without reading: an open alone takes
 * the reading the file shows.  Then it prints one line
 *
 *   opened A enomem B other C [errno E]
 *
 * (E: the first errno other than ENOMEM), keeps every descriptor open
 * until its standard input reaches end of file, closes them all, prints
 * "closed A" and exits 0.  RLIMIT_NOFILE is raised to N plus a few, within
 * the hard limit its parent gave it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static const char usage_text[] =
"usage: twhold -f FILE -n N [-r ROUNDS] [-i MS]\n"
"\n"
"Opens FILE N times in ROUNDS rounds (default 1) MS ms apart (default\n"
"0), prints 'opened A enomem B other C', holds the descriptors until\n"
"standard input ends, closes them and prints 'closed A'.\n";

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static void raise_nofile(unsigned long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	/* stdin, stdout, stderr and some room */
	rl.rlim_cur = n + 16;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
}

int main(int argc, char **argv)
{
	unsigned long n = 0, rounds = 1, ms = 0, i, opened = 0, enomem = 0, other = 0;
	int opt, first_errno = 0;
	const char *file = NULL;
	char buf[64];
	int *fds;

	while ((opt = getopt(argc, argv, "f:n:r:i:h")) != -1) {
		switch (opt) {
		case 'f':
			file = optarg;
			break;
		case 'n':
			if (!tw_parse_ulong(optarg, 1, 1000000, &n))
				tw_usage_err(2, usage_text, "bad -n '%s'", optarg);
			break;
		case 'r':
			if (!tw_parse_ulong(optarg, 1, 100000, &rounds))
				tw_usage_err(2, usage_text, "bad -r '%s'", optarg);
			break;
		case 'i':
			if (!tw_parse_ulong(optarg, 0, 600000, &ms))
				tw_usage_err(2, usage_text, "bad -i '%s'", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			tw_usage_err(2, usage_text, "unknown option");
		}
	}
	if (!file || !n || optind != argc)
		tw_usage_err(2, usage_text, "need -f FILE and -n N");

	raise_nofile(n);
	fds = xcalloc(n, sizeof(*fds));
	for (i = 0; i < n; i++) {
		/* round r starts at open r * n / rounds */
		if (i && i * rounds / n != (i - 1) * rounds / n)
			sleep_ms(ms);
		fds[i] = open(file, O_RDONLY);
		if (fds[i] >= 0) {
			opened++;
		} else if (errno == ENOMEM) {
			enomem++;
		} else {
			if (!other++)
				first_errno = errno;
		}
	}
	printf("opened %lu enomem %lu other %lu", opened, enomem, other);
	if (other)
		printf(" errno %d (%s)", first_errno, strerror(first_errno));
	printf("\n");
	fflush(stdout);

	while (read(0, buf, sizeof(buf)) > 0)
		;
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	printf("closed %lu\n", opened);
	free(fds);
	return 0;
}
