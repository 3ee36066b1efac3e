// SPDX-License-Identifier: GPL-2.0
// twpoke writes garbage into tw_stats's tunables and unloads and reloads it, in loops.
/*
 * The torture test's writer and loader (kunit/guest/torture_lib.sh), each
 * one process for the whole run (see torture_util.h for why).
 *
 * write: every round, into every file the patterns match, one value
 * picked among garbage, boundary values and valid ones.  A write may be
 * refused; what matters is that nothing breaks, and the torture's end
 * checks that the valid values took and the garbage did not.
 *
 * load: unload the module while readers may hold its files (rmmod must
 * refuse, never free what they use), then shut debugfs to new openers
 * until it goes; check that its files went with it; now and then try a
 * load with a bad parameter (must be refused); while the fault file
 * exists, load under make-it-fail (finit_module(2) directly, so that
 * the injected faults hit the module's load and init and nothing of a
 * shell or insmod) - that may fail, but must leave nothing loaded; then
 * load for real.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "torture_util.h"

#define LONG_VALUE	5000
#define UNLOAD_TRIES	100

static const char usage_text[] =
"usage: twpoke write -t STOP [-s SKIP] [-p MS] PATTERN...\n"
"       twpoke load -t STOP -s SKIP [-f FAULTS] MODULE.ko\n"
"\n"
"Loops until the file STOP exists.\n"
"write: each round, writes one value (garbage, a boundary or a valid\n"
"one) into every file the glob PATTERNs match, pausing MS milliseconds\n"
"(-p, 0) between rounds; debugfs is left out while SKIP exists.\n"
"load: unloads the module (refused while its files are open: after two\n"
"refusals creates SKIP, so that readers leave debugfs, and removes it\n"
"when done), now and then loads it with a bad parameter (must fail),\n"
"while FAULTS exists loads it under make-it-fail (may fail), then\n"
"loads it for real.\n"
"At the end one line of counts goes to stdout, and a \"FAIL name: why\"\n"
"line for each broken promise; load logs each step, with the time since\n"
"boot, to stderr.  Exit status: 0, 1 on a FAIL, 64 on bad usage.\n";

static const char *const values[] = {
	"0", "1", "2", "7", "64", "1000", "1024", "1025", "60000", "60001",
	"65535", "4294967295", "4294967296", "99999999999999999999", "-1",
	"banana", "", "default", " 7", "7 ", "0x10", "1e3", "+5", "7\n",
	"1\n2", "\n",
};

/* parameters that finit_module must refuse */
static const char *const bad_params[] = {
	"cache_ms=banana", "cache_ms=60001", "top_n=0", "top_n=-1",
	"drops_top_n=x", "top_n=99999999999999999999",
};

static const char *const cache_ms[] = { "0", "1", "500", "60000" };
static const char *const top_n[] = { "1", "64", "1024" };

static bool failed;

#define step(fmt, ...) \
	fprintf(stderr, "twpoke: %.3f " fmt "\n", tt_uptime(), ##__VA_ARGS__)

#define usage_err(what) tw_usage_err(64, usage_text, "%s\n", what)

static void report_fail(const char *name, const char *why)
{
	printf("FAIL %s: %s\n", name, why);
	fflush(stdout);
	failed = true;
}

/* One value into one file: 1 taken, 0 refused, -1 the file is gone. */
static int poke(const char *path)
{
	static char long_value[LONG_VALUE];
	char rnd_bytes[32];
	const char *v;
	size_t len, i, pick = tt_rnd() % (ARRAY_SIZE(values) + 2);
	ssize_t n;
	int fd;

	if (pick < ARRAY_SIZE(values)) {
		v = values[pick];
		len = strlen(v);
	} else if (pick == ARRAY_SIZE(values)) {
		memset(long_value, '7', sizeof(long_value));
		v = long_value;
		len = sizeof(long_value);
	} else {
		for (i = 0; i < sizeof(rnd_bytes); i++)
			rnd_bytes[i] = tt_rnd();
		v = rnd_bytes;
		len = sizeof(rnd_bytes);
	}
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, v, len);
	close(fd);
	return n == (ssize_t)len;
}

static int write_loop(char **patterns, int n, const struct tt_control *o)
{
	unsigned long ok = 0, refused = 0, gone = 0;
	glob_t g;
	size_t i;

	while (!tt_exists(o->stop)) {
		tt_glob_all(patterns, n, &g);
		for (i = 0; i < g.gl_pathc; i++) {
			if (tt_keep_out(g.gl_pathv[i], o->skip))
				continue;
			switch (poke(g.gl_pathv[i])) {
			case 1:
				ok++;
				break;
			case 0:
				refused++;
				break;
			default:
				gone++;
			}
		}
		globfree(&g);
		tt_sleep_ms(o->pause_ms);
	}
	printf("twpoke writes_ok=%lu writes_refused=%lu writes_gone=%lu\n",
	       ok, refused, gone);
	return failed;
}

static bool loaded(void)
{
	return access("/sys/module/tw_stats", F_OK) == 0;
}

static int finit(int fd, const char *params)
{
	return syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
}

static int unload(void)
{
	return syscall(SYS_delete_module, "tw_stats", O_NONBLOCK) ? -errno : 0;
}

struct load_counts {
	unsigned long loads, unloads, unload_busy, refused_bad_param;
	unsigned long failed_injected, failed;
};

/* Unload, waiting out readers: true if it went. */
static bool unload_waiting(const struct tt_control *o, struct load_counts *c)
{
	unsigned int tries = 0;
	bool gone = false;
	char why[96];
	int err;

	for (;;) {
		err = unload();
		if (!err) {
			gone = true;
			break;
		}
		if (err != -EWOULDBLOCK && err != -EBUSY) {
			snprintf(why, sizeof(why), "delete_module: %s", strerror(-err));
			report_fail("unload_refuses_cleanly", why);
			break;
		}
		c->unload_busy++;
		if (++tries == 2) {
			int fd = open(o->skip, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

			if (fd >= 0)
				close(fd);
		}
		if (tries >= UNLOAD_TRIES || tt_exists(o->stop))
			break;
		tt_sleep_ms(tt_rnd() % 200);
	}
	unlink(o->skip);
	return gone;
}

static int load_loop(const char *module, const struct tt_control *o)
{
	struct load_counts c = { 0 };
	char params[64], why[96];
	int fd, err;

	fd = open(module, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(module);
		return 1;
	}
	while (!tt_exists(o->stop)) {
		tt_sleep_ms(100 + tt_rnd() % 800);
		if (loaded()) {
			unsigned long busy = c.unload_busy;
			double t = tt_uptime();

			if (!unload_waiting(o, &c)) {
				step("not unloaded: refused %lu times", c.unload_busy - busy);
				continue;
			}
			step("unloaded in %.3f s, refused %lu times", tt_uptime() - t,
			     c.unload_busy - busy);
			c.unloads++;
			if (access("/proc/net/tw_stats", F_OK) == 0)
				report_fail("unload_removes_files",
					    "/proc/net/tw_stats after unload");
		}
		tt_sleep_ms(100 + tt_rnd() % 400);

		if (tt_rnd() % 5 == 0) {
			const char *bad = bad_params[tt_rnd() % ARRAY_SIZE(bad_params)];

			if (!finit(fd, bad)) {
				snprintf(why, sizeof(why), "loaded with %s", bad);
				report_fail("load_refuses_bad_params", why);
				unload();
			} else {
				c.refused_bad_param++;
			}
		}
		snprintf(params, sizeof(params), "cache_ms=%s top_n=%s",
			 cache_ms[tt_rnd() % ARRAY_SIZE(cache_ms)],
			 top_n[tt_rnd() % ARRAY_SIZE(top_n)]);
		if (tt_exists(o->faults)) {
			tt_make_it_fail(true);
			err = finit(fd, params);
			tt_make_it_fail(false);
			step("load under faults: %s", err ? strerror(-err) : "loaded");
			if (!err) {
				c.loads++;
				continue;
			}
			c.failed_injected++;
			if (loaded())
				report_fail("failed_load_leaves_nothing",
					    "a failed load left the module loaded");
		}
		/* the real load must work: retried, and each failure counted */
		while ((err = finit(fd, params)) && err != -EEXIST) {
			c.failed++;
			fprintf(stderr, "twpoke: load %s: %s\n", params, strerror(-err));
			if (tt_exists(o->stop))
				break;
			tt_sleep_ms(1000);
		}
		if (!err) {
			c.loads++;
			step("loaded %s", params);
		}
	}
	close(fd);
	printf("twpoke loads=%lu unloads=%lu unload_busy=%lu loads_refused_bad_param=%lu "
	       "loads_failed_injected=%lu loads_failed=%lu\n", c.loads, c.unloads,
	       c.unload_busy, c.refused_bad_param, c.failed_injected, c.failed);
	return failed;
}

int main(int argc, char **argv)
{
	struct tt_control o = { 0 };
	const char *mode;
	int opt, ctl;

	tw_prog = "twpoke";
	if (argc < 2)
		usage_err("no mode");
	mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "h" TT_CONTROL_OPTS)) != -1) {
		ctl = tt_control_opt(opt, optarg, &o);
		if (ctl < 0)
			usage_err("-p: bad pause");
		if (ctl)
			continue;
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			usage_err("bad option");
		}
	}
	if (!o.stop)
		usage_err("no stop file (-t)");
	if (optind == argc)
		usage_err("nothing to work on");
	tt_rnd_seed();
	if (!strcmp(mode, "write"))
		return write_loop(argv + optind, argc - optind, &o);
	if (!strcmp(mode, "load")) {
		if (!o.skip)
			usage_err("load needs a skip file (-s)");
		return load_loop(argv[optind], &o);
	}
	usage_err("mode is write or load");
}
