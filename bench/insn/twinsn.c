// SPDX-License-Identifier: GPL-2.0
/*
 * twinsn: a QEMU TCG plugin for make bench's instruction counts.
 *
 * Under TCG the time of a reading moves with the emulator (a new guest
 * boot moved tw_stats against the floor by a quarter), so the time
 * ratios cannot say where a nanosecond per socket goes.  What the guest
 * executes can: this plugin counts, between two marker instructions that
 * twbench executes around one read(), the instructions the guest ran
 * (user, kernel, module), its loads and stores, and the misses of a
 * simple three-level cache model fed with their physical addresses.
 * These counts do not depend on how fast the host runs the emulator.
 *
 * Markers (executed by twbench, never by the kernel): xchg %bx,%bx
 * (66 87 db) begins a measurement and xchg %cx,%cx (66 87 c9) ends it.
 * At the end it writes one line to the output file,
 *
 *   TWINSN read insns_user U insns_kernel K insns_module M loads L
 *          stores S l1_miss A l2_miss B l3_miss C
 *
 * and, per translated block of kernel or module text that ran in it,
 *
 *   TWINSN tb VADDR insns N execs E
 *
 * and, per kernel or module instruction whose accesses missed the model's
 * last level in it,
 *
 *   TWINSN miss VADDR l1 A l2 B l3 C
 *
 * Arguments (-plugin twinsn.so,out=PATH,l1=KIB,l2=KIB,l3=KIB): the
 * output file (required) and the model's sizes; the ways are fixed (8,
 * 16, 16) and lines are 64 bytes.  The cache keeps its contents between
 * measurements, not through what runs between them, so each read starts
 * from what the previous measured read left.  Run the guest with one
 * vCPU: the counters are not per vCPU.
 *
 * Build: gcc -shared -fPIC -O2 -I DIR-OF-qemu-plugin.h
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define LINE_SHIFT 6

/* x86_64 without KASLR: modules live in [MODULES_VADDR, MODULES_END) */
#define USER_END	0x0000800000000000ULL
#define MODULES_START	0xffffffffa0000000ULL
#define MODULES_END	0xffffffffff000000ULL

enum region { REGION_USER, REGION_KERNEL, REGION_MODULE, NR_REGIONS };

static const char *const region_names[NR_REGIONS] = {
	"insns_user", "insns_kernel", "insns_module",
};

/* one set-associative level, least recently used out */
struct cache_level {
	unsigned int sets;
	unsigned int ways;
	uint64_t *lines;	/* sets * ways: line number + 1, 0 empty */
	uint64_t *used;		/* sets * ways: access stamp */
	uint64_t misses;
};

/* the execution count of one translation of a kernel or module block */
struct block {
	uint64_t vaddr;
	uint64_t execs;		/* bumped inline, always */
	uint64_t execs_at_begin;
	unsigned int insns;
	struct block *next;
};

/* the misses of one kernel or module instruction's accesses */
struct insn_misses {
	uint64_t vaddr;
	uint64_t misses[3];
	struct insn_misses *next;
};

static FILE *out;
static bool active;
static uint64_t stamp;
static uint64_t insns[NR_REGIONS];
static uint64_t insns_at_begin[NR_REGIONS];
static uint64_t loads, stores;
static struct cache_level levels[3];
static struct block *blocks;
static struct insn_misses *missing;

static const unsigned char marker_begin[] = { 0x66, 0x87, 0xdb };
static const unsigned char marker_end[] = { 0x66, 0x87, 0xc9 };

static int level_init(struct cache_level *c, unsigned long kib,
		      unsigned int ways)
{
	unsigned long n = kib * 1024 >> LINE_SHIFT;

	if (!kib || n % ways)
		return -1;
	c->ways = ways;
	c->sets = n / ways;
	c->lines = calloc(n, sizeof(*c->lines));
	c->used = calloc(n, sizeof(*c->used));
	return c->lines && c->used ? 0 : -1;
}

/* true on a hit; on a miss the line replaces the set's oldest */
static bool level_access(struct cache_level *c, uint64_t line)
{
	uint64_t *set = c->lines + (line % c->sets) * c->ways;
	uint64_t *used = c->used + (line % c->sets) * c->ways;
	unsigned int w, oldest = 0;

	for (w = 0; w < c->ways; w++) {
		if (set[w] == line + 1) {
			used[w] = stamp;
			return true;
		}
		if (used[w] < used[oldest])
			oldest = w;
	}
	set[oldest] = line + 1;
	used[oldest] = stamp;
	c->misses++;
	return false;
}

static void mem_access(unsigned int vcpu, qemu_plugin_meminfo_t info,
		       uint64_t vaddr, void *udata)
{
	struct insn_misses *m = udata;
	struct qemu_plugin_hwaddr *hw;
	uint64_t addr = vaddr;
	unsigned int i;

	if (!active)
		return;
	hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (hw) {
		if (qemu_plugin_hwaddr_is_io(hw))
			return;
		addr = qemu_plugin_hwaddr_phys_addr(hw);
	}
	if (qemu_plugin_mem_is_store(info))
		stores++;
	else
		loads++;
	stamp++;
	for (i = 0; i < 3; i++) {
		if (level_access(&levels[i], addr >> LINE_SHIFT))
			break;
		if (m)
			m->misses[i]++;
	}
}

static void begin(unsigned int vcpu, void *udata)
{
	struct block *b;
	int r;

	for (r = 0; r < NR_REGIONS; r++)
		insns_at_begin[r] = insns[r];
	struct insn_misses *m;

	for (b = blocks; b; b = b->next)
		b->execs_at_begin = b->execs;
	for (m = missing; m; m = m->next)
		memset(m->misses, 0, sizeof(m->misses));
	loads = 0;
	stores = 0;
	for (r = 0; r < 3; r++)
		levels[r].misses = 0;
	active = true;
}

static void end(unsigned int vcpu, void *udata)
{
	struct insn_misses *m;
	struct block *b;
	int r;

	if (!active)
		return;
	active = false;
	fprintf(out, "TWINSN read");
	for (r = 0; r < NR_REGIONS; r++)
		fprintf(out, " %s %" PRIu64, region_names[r],
			insns[r] - insns_at_begin[r]);
	fprintf(out, " loads %" PRIu64 " stores %" PRIu64
		" l1_miss %" PRIu64 " l2_miss %" PRIu64 " l3_miss %" PRIu64 "\n",
		loads, stores, levels[0].misses, levels[1].misses,
		levels[2].misses);
	for (b = blocks; b; b = b->next)
		if (b->execs != b->execs_at_begin)
			fprintf(out, "TWINSN tb 0x%" PRIx64 " insns %u execs %"
				PRIu64 "\n", b->vaddr, b->insns,
				b->execs - b->execs_at_begin);
	for (m = missing; m; m = m->next)
		if (m->misses[2])
			fprintf(out, "TWINSN miss 0x%" PRIx64 " l1 %" PRIu64
				" l2 %" PRIu64 " l3 %" PRIu64 "\n", m->vaddr,
				m->misses[0], m->misses[1], m->misses[2]);
	fflush(out);
}

static bool insn_is(const struct qemu_plugin_insn *insn,
		    const unsigned char *bytes, size_t len)
{
	return qemu_plugin_insn_size(insn) == len &&
	       !memcmp(qemu_plugin_insn_data(insn), bytes, len);
}

static enum region region_of(uint64_t vaddr)
{
	if (vaddr < USER_END)
		return REGION_USER;
	if (vaddr >= MODULES_START && vaddr < MODULES_END)
		return REGION_MODULE;
	return REGION_KERNEL;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	enum region r = region_of(vaddr);
	struct block *b;

	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
						 &insns[r], n);
	if (r != REGION_USER) {
		b = calloc(1, sizeof(*b));
		if (b) {
			b->vaddr = vaddr;
			b->insns = n;
			b->next = blocks;
			blocks = b;
			qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64,
								 &b->execs, 1);
		}
	}
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		struct insn_misses *m = NULL;

		if (r != REGION_USER) {
			m = calloc(1, sizeof(*m));
			if (m) {
				m->vaddr = qemu_plugin_insn_vaddr(insn);
				m->next = missing;
				missing = m;
			}
		}
		qemu_plugin_register_vcpu_mem_cb(insn, mem_access,
						 QEMU_PLUGIN_CB_NO_REGS,
						 QEMU_PLUGIN_MEM_RW, m);
		if (r != REGION_USER)
			continue;
		if (insn_is(insn, marker_begin, sizeof(marker_begin)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, begin,
							       QEMU_PLUGIN_CB_NO_REGS,
							       NULL);
		else if (insn_is(insn, marker_end, sizeof(marker_end)))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, end,
							       QEMU_PLUGIN_CB_NO_REGS,
							       NULL);
	}
}

static void finished(qemu_plugin_id_t id, void *udata)
{
	if (out)
		fclose(out);
	out = NULL;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	unsigned long kib[3] = { 32, 1024, 16384 };
	static const unsigned int ways[3] = { 8, 16, 16 };
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4)) {
			path = argv[i] + 4;
		} else if (!strncmp(argv[i], "l1=", 3)) {
			kib[0] = strtoul(argv[i] + 3, NULL, 10);
		} else if (!strncmp(argv[i], "l2=", 3)) {
			kib[1] = strtoul(argv[i] + 3, NULL, 10);
		} else if (!strncmp(argv[i], "l3=", 3)) {
			kib[2] = strtoul(argv[i] + 3, NULL, 10);
		} else {
			fprintf(stderr, "twinsn: unknown argument '%s'\n",
				argv[i]);
			return -1;
		}
	}
	if (!path) {
		fprintf(stderr, "twinsn: out=PATH is required\n");
		return -1;
	}
	for (i = 0; i < 3; i++)
		if (level_init(&levels[i], kib[i], ways[i])) {
			fprintf(stderr, "twinsn: bad size for level %d\n",
				i + 1);
			return -1;
		}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, finished, NULL);
	return 0;
}
