/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for the owners of tw_cgroups: each cgroup id by its path under
 * the cgroup2 mount, each uid by its user name, found live or read from a
 * saved "cgroup_names" file; and what a path says about its owner.
 */
#ifndef TW_CGROUP_NAMES_H
#define TW_CGROUP_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tw_table;
struct twstat_reading;

/* One line of "cgroup_names": a cgroup's path or a uid's user name. */
struct tw_owner_name {
	bool is_uid;
	uint64_t id;
	char *name;
};

/* What a cgroup path carries, each "" when it carries none. */
struct tw_cgroup_owner {
	char unit[256];		/* systemd unit: nginx.service */
	char container[65];	/* 64 hex digits */
	char pod[37];		/* Kubernetes pod UID, with dashes */
};

char *tw_cgroup_names_scan(const struct tw_table *t);
int tw_parse_cgroup_names(const char *file, const char *data, size_t len,
			  struct tw_owner_name **out, size_t *n, char *err);
const char *tw_cgroup_path(const struct twstat_reading *s, uint64_t id);
const char *tw_user_name(const struct twstat_reading *s, uint64_t uid);
void tw_cgroup_owner(const char *path, struct tw_cgroup_owner *o);
void tw_cgroup_names_free(struct twstat_reading *s);

#endif
