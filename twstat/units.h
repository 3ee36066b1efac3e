/* SPDX-License-Identifier: GPL-2.0 */
/* Numbers for people: bytes and durations in the unit that reads best. */
#ifndef TW_UNITS_H
#define TW_UNITS_H

#include <stddef.h>

void tw_human_bytes(char *buf, size_t len, double bytes);
void tw_human_seconds(char *buf, size_t len, double secs);

#endif
