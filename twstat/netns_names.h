/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for the namespaces of tw_netns, found live or read from a saved
 * "netns_names" file.
 */
#ifndef TW_NETNS_NAMES_H
#define TW_NETNS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tw_netns_name;
struct tw_table;
struct twstat_reading;

bool tw_netns_link_inode(const char *path, uint64_t *out);
char *tw_netns_names_scan(const struct tw_table *t, const char *root);
int tw_parse_netns_names(const char *file, const char *data, size_t len,
			 struct tw_netns_name **out, size_t *n, char *err);
const struct tw_netns_name *tw_netns_name_of(const struct twstat_reading *s,
					     uint64_t netns);
void tw_netns_names_free(struct twstat_reading *s);

#endif
