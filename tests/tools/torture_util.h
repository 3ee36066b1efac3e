/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the torture's long-running helpers (twcheck, twpoke) share: a
 * cheap random number, the control files the guest script steers them
 * with, and make-it-fail.  One long-lived process per loop, because on
 * the KASAN kernel under TCG each process start costs about 0.15 s of a
 * vCPU (ss: 2 s): a shell loop that spawns per operation does little else.
 */
#ifndef TW_TORTURE_UTIL_H
#define TW_TORTURE_UTIL_H

#include <fcntl.h>
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* What steers a loop: -t STOP, -s SKIP, -f FAULTS (control files), -p MS. */
struct tt_control {
	const char *stop, *skip, *faults;
	unsigned long pause_ms;		/* between rounds */
};

#define TT_CONTROL_OPTS "t:s:f:p:"

/*
 * Take @opt into @c if it is one of TT_CONTROL_OPTS: 1 if it was, -1 if
 * its value is bad, 0 if @opt is the tool's own.
 */
static inline int tt_control_opt(int opt, const char *arg, struct tt_control *c)
{
	switch (opt) {
	case 't':
		c->stop = arg;
		return 1;
	case 's':
		c->skip = arg;
		return 1;
	case 'f':
		c->faults = arg;
		return 1;
	case 'p':
		return tw_parse_ulong(arg, 0, 60000, &c->pause_ms) ? 1 : -1;
	}
	return 0;
}

static unsigned long tt_rnd_state = 1;

static inline void tt_rnd_seed(void)
{
	tt_rnd_state = (unsigned long)getpid() * 2654435761UL ^
		       (unsigned long)time(NULL);
	if (!tt_rnd_state)
		tt_rnd_state = 1;
}

/* xorshift: reproducible enough, no libc state */
static inline unsigned long tt_rnd(void)
{
	tt_rnd_state ^= tt_rnd_state << 13;
	tt_rnd_state ^= tt_rnd_state >> 7;
	tt_rnd_state ^= tt_rnd_state << 17;
	return tt_rnd_state;
}

/* A control file: NULL (not given) never exists. */
static inline bool tt_exists(const char *path)
{
	return path && access(path, F_OK) == 0;
}

static inline void tt_sleep_ms(unsigned long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * An open debugfs file pins the module: while the loader waits to unload
 * (@skip exists) debugfs is kept out, asked before each file, so that a
 * long round does not hold the module up.
 */
static inline bool tt_keep_out(const char *path, const char *skip)
{
	return !strncmp(path, "/sys/kernel/debug/", 18) && tt_exists(skip);
}

/*
 * Fault injection with task-filter aims at the tasks whose make-it-fail
 * is 1: set it only around the calls under test, so that nothing of our
 * own (a page fault of the heap, stdio) meets an injected failure.
 */
static inline void tt_make_it_fail(bool on)
{
	unsigned int tries;

	/* turning it off is itself a write that an injected fault can fail */
	for (tries = 0; tries < 1000; tries++) {
		int fd = open("/proc/self/make-it-fail", O_WRONLY | O_CLOEXEC);
		bool done = fd >= 0 && write(fd, on ? "1" : "0", 1) == 1;

		if (fd >= 0)
			close(fd);
		if (done)
			return;
	}
	perror("/proc/self/make-it-fail");
	exit(1);
}

/* seconds since boot, for the step log of a slow run */
static inline double tt_uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Expand every pattern again (files come and go); no match is no path. */
static inline void tt_glob_all(char **patterns, int n, glob_t *g)
{
	int i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < n; i++)
		glob(patterns[i], GLOB_APPEND, NULL, g);
}

#endif /* TW_TORTURE_UTIL_H */
