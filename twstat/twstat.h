/* SPDX-License-Identifier: GPL-2.0 */
/* twstat's version, and the version of the JSON document it prints. */
#ifndef TWSTAT_H
#define TWSTAT_H

#define TWSTAT_VERSION		"1.0"
#define TWSTAT_SCHEMA_VERSION	1

#endif
