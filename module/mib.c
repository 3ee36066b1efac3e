// SPDX-License-Identifier: GPL-2.0
/*
 * Reads the TcpExt counters that tell what TIME_WAIT and timestamp checks
 * did in a netns, the way /proc/net/netstat does, so that ours equal
 * nstat's at the same moment.
 */
#include <linux/cpumask.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <kunit/visibility.h>

#include "compat/compat.h"
#include "mib.h"

/*
 * Names as /proc/net/netstat spells them, in its order; the lines of
 * /proc/net/tw_stats are "tcpext_" + the name in lower case.
 */
const struct tw_mib_item tw_tcpext_items[] = {
	{ LINUX_MIB_TIMEWAITED, "TW" },
	{ LINUX_MIB_TIMEWAITRECYCLED, "TWRecycled" },
	{ LINUX_MIB_TIMEWAITKILLED, "TWKilled" },
	{ LINUX_MIB_PAWSACTIVEREJECTED, "PAWSActive" },
	{ LINUX_MIB_PAWSESTABREJECTED, "PAWSEstab" },
	{ TW_MIB_TSECR_REJECTED, "TSEcrRejected" },
	{ TW_MIB_PAWS_OLD_ACK, "PAWSOldAck" },
	{ TW_MIB_PAWS_TW_REJECTED, "PAWSTimewait" },
	{ LINUX_MIB_TCPTIMEWAITOVERFLOW, "TCPTimeWaitOverflow" },
	{ LINUX_MIB_TCPACKSKIPPEDPAWS, "TCPACKSkippedPAWS" },
	{ LINUX_MIB_TCPACKSKIPPEDTIMEWAIT, "TCPACKSkippedTimeWait" },
};
EXPORT_SYMBOL_IF_KUNIT(tw_tcpext_items);

const unsigned int tw_tcpext_nitems = ARRAY_SIZE(tw_tcpext_items);
EXPORT_SYMBOL_IF_KUNIT(tw_tcpext_nitems);

/*
 * The counters are per CPU and never reset; summing every possible CPU
 * (not just the online ones) keeps what an unplugged CPU counted, as
 * /proc/net/netstat does.
 */
u64 tw_mib_read(struct net *net, int field)
{
	u64 sum = 0;
	int cpu;

	if (field < 0)
		return 0;
	for_each_possible_cpu(cpu)
		sum += snmp_get_cpu_field(net->mib.net_statistics, cpu, field);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(tw_mib_read);
