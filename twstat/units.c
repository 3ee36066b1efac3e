// SPDX-License-Identifier: GPL-2.0
/* Numbers for people: bytes and durations in the unit that reads best. */
#include <stdio.h>

#include "units.h"
#include "util.h"

void tw_human_bytes(char *buf, size_t len, double bytes)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned int u = 0;

	if (bytes < 1024) {
		snprintf(buf, len, "%.0f B", bytes);
		return;
	}
	bytes /= 1024;
	while (bytes >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, bytes < 10 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

void tw_human_seconds(char *buf, size_t len, double secs)
{
	if (secs < 1)
		snprintf(buf, len, "%.0f ms", secs * 1000);
	else if (secs < 120)
		snprintf(buf, len, "%.1f s", secs);
	else if (secs < 2 * 3600)
		snprintf(buf, len, "%.0f min", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(buf, len, "%.1f h", secs / 3600);
	else
		snprintf(buf, len, "%.0f d", secs / 86400);
}
