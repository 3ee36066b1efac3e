// SPDX-License-Identifier: GPL-2.0
/*
 * tw_stats_test.ko: the KUnit suites for tw_stats's own logic.  They use
 * tw_stats.ko's functions, exported only to KUnit, and never its init.
 */
#include <linux/module.h>

#include "tw_test.h"

kunit_test_suites(&tw_summary_test_suite, &tw_format_test_suite,
		  &tw_snapshot_test_suite, &tw_walk_test_suite,
		  &tw_ports_test_suite, &tw_dests_test_suite,
		  &tw_drops_test_suite, &tw_netns_table_test_suite);

/* The string form works on 6.1 through 7.x; the macro's argument changed. */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for tw_stats");
