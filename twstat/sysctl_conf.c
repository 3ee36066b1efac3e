// SPDX-License-Identifier: GPL-2.0
/*
 * The settings twstat's advice may point at, found where systemd-sysctl
 * and procps read them (sysctl.d directories, then /etc/sysctl.conf), so
 * that advice can name the file and line that set a value.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "reading.h"
#include "sysctl_conf.h"
#include "util.h"

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

	if (tw_read_file(path, TW_MAX_FILE_BYTES, &data, &len))
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
char *tw_scan_sysctl_conf(void)
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
		char *dir = xasprintf("%s%s", tw_root(), *d);
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
	path = xasprintf("%s/etc/sysctl.conf", tw_root());
	conf_scan_file(&out, &outlen, path);
	free(path);
	return out;
}
