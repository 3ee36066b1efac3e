/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites of tw_stats_test.ko, registered together in test_main.c. */
#ifndef TW_STATS_TEST_H
#define TW_STATS_TEST_H

#include <kunit/test.h>

extern struct kunit_suite tw_summary_test_suite;
extern struct kunit_suite tw_format_test_suite;
extern struct kunit_suite tw_snapshot_test_suite;
extern struct kunit_suite tw_walk_test_suite;
extern struct kunit_suite tw_ports_test_suite;
extern struct kunit_suite tw_dests_test_suite;
extern struct kunit_suite tw_drops_test_suite;
extern struct kunit_suite tw_netns_table_test_suite;

#endif /* TW_STATS_TEST_H */
