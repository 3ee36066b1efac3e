// SPDX-License-Identifier: GPL-2.0
// twbench times file reads and commands in the make bench guest (busybox has no precise timer).
/*
 * Usage: see usage_text below.
 *
 * Every repetition is timed on CLOCK_MONOTONIC and the minimum and the
 * median are printed: the minimum is what the work costs without
 * interference, the median what a reader typically sees.  A command runs
 * as "sh -c CMD" with its output thrown away; a file is read to the end
 * in 64 KiB calls, like cat does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#define MAX_RUNS	1000
#define READ_CHUNK	65536

static const char usage_text[] =
"usage: twbench read -n RUNS FILE\n"
"       twbench run -n RUNS CMD\n"
"       twbench alternate -n RUNS FILE_A FILE_B\n"
"       twbench loop FILE\n"
"       twbench mark FILE\n"
"\n"
"read reads FILE to its end RUNS times; run runs 'sh -c CMD' RUNS times\n"
"with stdout on /dev/null and fails if CMD fails.  Both print one line:\n"
"  runs RUNS min_ns NS median_ns NS bytes BYTES\n"
"(bytes: of the last read; 0 for run).  alternate reads FILE_A, then\n"
"FILE_B, RUNS times each, in turn: FILE_B in a child process named\n"
"twbench-b, so that a profiler tells the two apart, while a drift of\n"
"the machine's speed falls on both alike; it prints the line above\n"
"twice, for FILE_A after \"a \", for FILE_B after \"b \".  loop reads\n"
"FILE to its end over and over until it is killed: the reader that make\n"
"bench's churn test runs beside the connections.  mark reads FILE to its\n"
"end once between the two marker instructions that make bench's\n"
"instruction-count plugin (bench/insn/twinsn.c) counts between, and\n"
"prints \"bytes BYTES\"; without the plugin the markers do nothing.\n";

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void __attribute__((noreturn)) die(const char *what, const char *arg)
{
	fprintf(stderr, "twbench: %s %s: %s\n", what, arg, strerror(errno));
	exit(1);
}

/* The buffer read_file() reads into. */
static char *read_buffer(void)
{
	char *buf = malloc(READ_CHUNK);

	if (!buf)
		die("malloc", "buffer");
	return buf;
}

/* Read @path to its end once; returns the bytes read. */
static unsigned long long read_file(const char *path, char *buf)
{
	unsigned long long total = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open", path);
	while ((n = read(fd, buf, READ_CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read", path);
		}
		total += n;
	}
	close(fd);
	return total;
}

static void run_cmd(const char *cmd)
{
	int status, null;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork for", cmd);
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid for", cmd);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "twbench: '%s' failed (status %d)\n", cmd, status);
		exit(1);
	}
}

/* Print the line of usage_text for @runs timings in @t (sorted here). */
static void print_times(const char *prefix, unsigned long long *t,
			unsigned long runs, unsigned long long bytes)
{
	qsort(t, runs, sizeof(t[0]), cmp_ull);
	/* the lower middle one for an even count: a value that was measured */
	printf("%sruns %lu min_ns %llu median_ns %llu bytes %llu\n", prefix, runs,
	       t[0], t[(runs - 1) / 2], bytes);
	fflush(stdout);
}

/* One byte through @fd, or die: the turn passes to the other process. */
static void pass_turn(int fd)
{
	while (write(fd, "", 1) != 1)
		if (errno != EINTR)
			die("write", "turn");
}

/* Wait for the turn on @fd; false when the other side has closed it. */
static int wait_turn(int fd)
{
	char c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) < 0)
		if (errno != EINTR)
			die("read", "turn");
	return n == 1;
}

/*
 * twbench alternate: @a read here, @b in a child, strictly in turn,
 * @runs times each.
 */
static int alternate(unsigned long runs, const char *a, const char *b,
		     char *buf, unsigned long long *t)
{
	unsigned long long start, bytes = 0;
	int to_child[2], to_parent[2], status;
	unsigned long i;
	pid_t pid;

	if (pipe(to_child) || pipe(to_parent))
		die("pipe", "turns");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork for", b);
	if (pid == 0) {
		close(to_child[1]);
		close(to_parent[0]);
		if (prctl(PR_SET_NAME, "twbench-b", 0, 0, 0))
			die("prctl", "twbench-b");
		for (i = 0; i < runs && wait_turn(to_child[0]); i++) {
			start = now_ns();
			bytes = read_file(b, buf);
			t[i] = now_ns() - start;
			pass_turn(to_parent[1]);
		}
		if (i < runs)
			_exit(1);
		print_times("b ", t, runs, bytes);
		_exit(0);
	}
	close(to_child[0]);
	close(to_parent[1]);
	for (i = 0; i < runs; i++) {
		start = now_ns();
		bytes = read_file(a, buf);
		t[i] = now_ns() - start;
		pass_turn(to_child[1]);
		if (!wait_turn(to_parent[0])) {
			fprintf(stderr, "twbench: the reader of %s ended early\n", b);
			exit(1);
		}
	}
	close(to_child[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid for", b);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "twbench: the reader of %s failed\n", b);
		return 1;
	}
	print_times("a ", t, runs, bytes);
	return 0;
}

/*
 * The markers of bench/insn/twinsn.c: xchg %bx,%bx and xchg %cx,%cx,
 * which change nothing; spelled as bytes so that no assembler picks
 * another encoding the plugin would not recognise.
 */
static void marker_begin(void)
{
	__asm__ volatile(".byte 0x66, 0x87, 0xdb" ::: "memory");
}

static void marker_end(void)
{
	__asm__ volatile(".byte 0x66, 0x87, 0xc9" ::: "memory");
}

int main(int argc, char **argv)
{
	unsigned long long t[MAX_RUNS], start, bytes = 0;
	unsigned long runs, i;
	char *buf = NULL;
	int is_read;

	tw_prog = "twbench";
	if (argc == 2 && !strcmp(argv[1], "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "loop")) {
		buf = read_buffer();
		for (;;)
			read_file(argv[2], buf);
	}
	if (argc == 3 && !strcmp(argv[1], "mark")) {
		buf = read_buffer();
		marker_begin();
		bytes = read_file(argv[2], buf);
		marker_end();
		printf("bytes %llu\n", bytes);
		free(buf);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "alternate") && !strcmp(argv[2], "-n") &&
	    tw_parse_ulong(argv[3], 1, MAX_RUNS, &runs)) {
		buf = read_buffer();
		return alternate(runs, argv[4], argv[5], buf, t);
	}
	if (argc != 5 || strcmp(argv[2], "-n") ||
	    (strcmp(argv[1], "read") && strcmp(argv[1], "run")) ||
	    !tw_parse_ulong(argv[3], 1, MAX_RUNS, &runs)) {
		fputs(usage_text, stderr);
		return 2;
	}
	is_read = !strcmp(argv[1], "read");
	if (is_read) {
		buf = read_buffer();
	}

	for (i = 0; i < runs; i++) {
		start = now_ns();
		if (is_read)
			bytes = read_file(argv[4], buf);
		else
			run_cmd(argv[4]);
		t[i] = now_ns() - start;
	}
	print_times("", t, runs, bytes);
	free(buf);
	return 0;
}
