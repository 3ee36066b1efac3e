// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats_test.ko: the KUnit suites for tw_stats's own logic, one per
 * *_test.c, each registered in its own file.  They use tw_stats.ko's
 * functions, exported only to KUnit, and never its init.
 */
#include <linux/module.h>

/* The string form works on 6.1 through 7.x; the macro's argument changed. */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for tw_stats");
