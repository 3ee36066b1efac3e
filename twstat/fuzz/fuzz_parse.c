// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for twstat's parsers: the first byte picks which file
 * the rest is (tw_stats, a table, a sysctl, sysctl_conf, netns_names,
 * tw_cgroups, cgroup_names, tw_nat), then every output runs on what parsed, so a
 * parser that accepts something the outputs cannot handle is found too.
 * Build: make -C twstat fuzz.
 */
#include <stdlib.h>
#include <string.h>

#include "nat.h"
#include "netns_names.h"
#include "output.h"
#include "reading.h"
#include "util.h"

/*
 * Every file twstat parses: the /proc/net and debugfs files, the sysctls,
 * and the two it writes itself.  New ones go at the end, so that the
 * first byte of the seeds in corpus/ keeps meaning the same file.
 */
static const enum tw_file_id ids[] = {
	TWF_STATS, TWF_PORTS, TWF_DESTS, TWF_DROPS, TWF_NETNS, TWF_CHAINS,
	TWF_WALK_COST, TWF_PORT_RANGE, TWF_RESERVED_PORTS, TWF_SYSCTL_CONF,
	TWF_META, TWF_TW_REUSE, TWF_TIMESTAMPS, TWF_FIN_TIMEOUT,
	TWF_MAX_TW_BUCKETS, TWF_NETNS_NAMES, TWF_CGROUPS, TWF_CGROUP_NAMES,
	TWF_NAT, TWF_CT_TW_TIMEOUT,
};

/* A minimal valid tw_stats, so that table inputs reach the outputs. */
static const char base_stats[] =
	"tw_total 3\ntw_time_wait 2\ntw_fin_wait2 1\ntw_ipv4 3\ntw_ipv6 0\n"
	"tw_expires_le_1s 1\ntw_expires_le_60s 3\nstate_close_wait 1\n"
	"ephemeral_ports 100\ntcpext_tw 5\ntcpext_tcptimewaitoverflow 1\n"
	"nat_active 1\nnat_flows 7\nnat_time_wait 5\nnat_min_headroom 2\n"
	"conntrack_insert_failed 1\n";

/* A tw_nat for the NAT view's outputs and advice to meet fuzzed files. */
static const char base_nat[] =
	"proto source destination flows time_wait close_wait established other port_min port_max headroom\n"
	"tcp 192.0.2.1 198.51.100.7:443 6 5 0 1 0 1024 1031 2\n"
	"tcp ::1 [::1]:80 1 0 0 1 0 - - -\n"
	"others - - 0 0 0 0 0 - - -\n";

/*
 * And a tw_cgroups with names for its owners, so that a fuzzed one of the
 * two meets the other and the naming code runs on both.
 */
static const char base_cgroups[] =
	"cgroup uid established close_wait syn_sent other listen tw_server ephemeral_in_use close_wait_idle_max_s\n"
	"4321 1000 0 4 0 0 1 0 0 312\n0 0 1 0 0 0 0 0 1 -\n"
	"others - 0 0 0 0 0 0 0 -\n";
static const char base_cgroup_names[] =
	"cgroup\t4321\t/kubepods.slice/kubepods-pod0123abcd_0123_0123_0123_0123456789ab.slice/"
	"cri-containerd-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.scope\n"
	"uid\t1000\talice\n";

static void set_base(struct twstat_reading *s, enum tw_file_id id,
		     const char *text)
{
	s->files[id].state = TW_FILE_PRESENT;
	s->files[id].data = strdup(text);
	s->files[id].len = strlen(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tw_out_opts o = { .top = 2 };
	struct twstat_reading s, prev;
	enum tw_file_id id;
	char err[TW_ERR_LEN];
	FILE *null;

	if (size < 1)
		return 0;
	id = ids[data[0] % (ARRAY_SIZE(ids))];
	memset(&s, 0, sizeof(s));
	s.source = "fuzz";
	s.files[TWF_STATS].state = TW_FILE_PRESENT;
	s.files[TWF_STATS].data = strdup(base_stats);
	s.files[TWF_STATS].len = strlen(base_stats);
	if (id == TWF_STATS) {
		free(s.files[TWF_STATS].data);
		s.files[TWF_STATS].len = 0;
		s.files[TWF_STATS].data = NULL;
	}
	if (id != TWF_CGROUPS)
		set_base(&s, TWF_CGROUPS, base_cgroups);
	if (id != TWF_CGROUP_NAMES)
		set_base(&s, TWF_CGROUP_NAMES, base_cgroup_names);
	if (id != TWF_NAT)
		set_base(&s, TWF_NAT, base_nat);
	s.files[id].state = TW_FILE_PRESENT;
	s.files[id].data = malloc(size);
	memcpy(s.files[id].data, data + 1, size - 1);
	s.files[id].data[size - 1] = '\0';
	s.files[id].len = size - 1;
	for (int i = 0; i < TWF_COUNT; i++)
		s.files[i].path = strdup(tw_file_names[i]);
	if (tw_reading_parse(&s, err) == 0) {
		/* a second, older snapshot: exercise the rate paths */
		memcpy(&prev, &s, sizeof(prev));
		prev.time_mono = s.time_mono - 1;
		null = fopen("/dev/null", "w");
		tw_print_summary(null, NULL, &s, &o);
		tw_print_summary(null, &prev, &s, &o);
		tw_print_json(null, &s);
		tw_print_cgroups(null, &s, &o);
		tw_print_nat(null, &s, &o);
		tw_print_prometheus(null, &s, &o);
		o.all_netns = true;
		tw_print_prometheus(null, &s, &o);
		o.all_netns = false;
		tw_print_prometheus_down(null, &s);
		tw_advise(null, &prev, &s);
		fclose(null);
	} else if (!memchr(err, ':', strlen(err))) {
		/* every error names its file */
		abort();
	}
	tw_reading_free(&s);
	return 0;
}
