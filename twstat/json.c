// SPDX-License-Identifier: GPL-2.0
/*
 * twstat --json: one JSON document holding every number of a snapshot
 * under the names the files use, so that a consumer reads the module's
 * own vocabulary and nothing twstat invented (schema in docs/twstat.md).
 */
#include <string.h>

#include "cgroup_names.h"
#include "netns_names.h"
#include "output.h"
#include "reading.h"
#include "twstat.h"
#include "util.h"

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c >= 0x7f)
			/* bytes of a path: keep the document valid UTF-8 */
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_stats(FILE *f, const struct tw_stats *s, const char *indent)
{
	size_t i;

	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('{', f);
	for (i = 0; i < s->n; i++) {
		fprintf(f, "%s\n%s  ", i ? "," : "", indent);
		json_str(f, s->v[i].name);
		if (s->v[i].none)
			fputs(": null", f);
		else
			fprintf(f, ": %llu", (unsigned long long)s->v[i].value);
	}
	if (s->n)
		fprintf(f, "\n%s", indent);
	fputc('}', f);
}

/* "column": value of one cell: a number, null for "-", else a string. */
static void json_cell(FILE *f, const struct tw_table *t, size_t r, size_t c)
{
	const struct tw_cell *cell = tw_cell(t, r, c);

	json_str(f, t->cols[c]);
	fputs(": ", f);
	if (cell->kind == TW_CELL_NONE)
		fputs("null", f);
	else if (cell->kind == TW_CELL_NUM && !t->col_is_text[c])
		fprintf(f, "%llu", (unsigned long long)cell->num);
	else
		json_str(f, cell->text);
}

/* A table as an array of objects keyed by the header's column names. */
static void json_table(FILE *f, const struct tw_table *t)
{
	size_t r, c;

	if (!t) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (r = 0; r < t->nrows; r++) {
		fprintf(f, "%s\n    {", r ? "," : "");
		for (c = 0; c < t->ncols; c++) {
			if (c)
				fputs(", ", f);
			json_cell(f, t, r, c);
		}
		fputc('}', f);
	}
	fprintf(f, "%s]", t->nrows ? "\n  " : "");
}

static void json_str_or_null(FILE *f, const char *s);

/*
 * tw_cgroups as its columns name them, plus the owner named: path, the
 * unit, container and pod the path carries, and the user (null where
 * unknown, and on the "others" row).
 */
static void json_cgroups(FILE *f, const struct twstat_reading *s)
{
	const struct tw_table *t = s->cgroups;
	size_t r, c, rows = tw_table_data_rows(t);

	if (!t) {
		fputs("null", f);
		return;
	}
	fputc('[', f);
	for (r = 0; r < t->nrows; r++) {
		struct tw_cgroup_owner ow;
		const char *path = NULL;
		uint64_t id;

		fprintf(f, "%s\n    {", r ? "," : "");
		for (c = 0; c < t->ncols; c++) {
			json_cell(f, t, r, c);
			fputs(", ", f);
		}
		if (r < rows && tw_cell_num(t, r, tw_col(t, "cgroup"), &id) && id)
			path = tw_cgroup_path(s, id);
		tw_cgroup_owner(path, &ow);
		fputs("\"path\": ", f);
		json_str_or_null(f, path);
		fputs(", \"unit\": ", f);
		json_str_or_null(f, *ow.unit ? ow.unit : NULL);
		fputs(", \"container\": ", f);
		json_str_or_null(f, *ow.container ? ow.container : NULL);
		fputs(", \"pod\": ", f);
		json_str_or_null(f, *ow.pod ? ow.pod : NULL);
		fputs(", \"user\": ", f);
		json_str_or_null(f, r < rows ? tw_owner_user(s, r) : NULL);
		fputc('}', f);
	}
	fprintf(f, "%s]", t->nrows ? "\n  " : "");
}

static void json_sysctl(FILE *f, const char *name, const struct tw_sysctl *v,
			bool last)
{
	fprintf(f, "    \"%s\": ", name);
	if (v->have)
		fprintf(f, "%llu", (unsigned long long)v->value);
	else
		fputs("null", f);
	fputs(last ? "\n" : ",\n", f);
}

/*
 * The opening members every document has: schema, version, where the data
 * came from, the netns it was read in (under @netns_key) and when.
 */
static void json_header(FILE *f, const struct twstat_reading *s,
			const char *netns_key)
{
	fprintf(f, "{\n  \"schema_version\": %d,\n", TWSTAT_SCHEMA_VERSION);
	fputs("  \"twstat_version\": \"" TWSTAT_VERSION "\",\n", f);
	fputs("  \"source\": ", f);
	json_str(f, s->source);
	fprintf(f, ",\n  \"%s\": ", netns_key);
	if (s->have_netns)
		fprintf(f, "%llu", (unsigned long long)s->netns);
	else
		fputs("null", f);
	fputs(",\n  \"time\": ", f);
	if (s->time_real > 0)
		fprintf(f, "%.3f", s->time_real);
	else
		fputs("null", f);
}

void tw_print_json(FILE *f, const struct twstat_reading *s)
{
	size_t i;

	json_header(f, s, "netns");
	fputs(",\n  \"tw_stats\": ", f);
	json_stats(f, &s->stats, "  ");
	fputs(",\n  \"tw_ports\": ", f);
	json_table(f, s->ports);
	fputs(",\n  \"tw_destinations\": ", f);
	json_table(f, s->dests);
	fputs(",\n  \"tw_drops\": ", f);
	json_table(f, s->drops);
	fputs(",\n  \"tw_netns\": ", f);
	json_table(f, s->netns_table);
	fputs(",\n  \"tw_cgroups\": ", f);
	json_cgroups(f, s);
	fputs(",\n  \"tw_nat\": ", f);
	json_table(f, s->nat);
	/* an inactive view has no rows: why, as the module said it */
	fputs(",\n  \"tw_nat_inactive\": ", f);
	json_str_or_null(f, s->nat ? s->nat->inactive : NULL);
	fputs(",\n  \"debugfs\": {\n    \"chain_lengths\": ", f);
	json_table(f, s->chains);
	fputs(",\n    \"walk_cost\": ", f);
	json_stats(f, s->walk_cost, "    ");
	fputs("\n  },\n  \"sysctl\": {\n", f);
	json_sysctl(f, "tcp_tw_reuse", &s->tw_reuse, false);
	json_sysctl(f, "tcp_tw_reuse_delay", &s->tw_reuse_delay, false);
	json_sysctl(f, "tcp_timestamps", &s->timestamps, false);
	json_sysctl(f, "tcp_fin_timeout", &s->fin_timeout, false);
	json_sysctl(f, "tcp_max_tw_buckets", &s->max_tw_buckets, false);
	json_sysctl(f, "nf_conntrack_tcp_timeout_time_wait", &s->ct_tw_timeout,
		    false);
	fputs("    \"ip_local_port_range\": ", f);
	if (s->have_port_range)
		fprintf(f, "[%llu, %llu]", (unsigned long long)s->port_low,
			(unsigned long long)s->port_high);
	else
		fputs("null", f);
	fputs(",\n    \"ip_local_reserved_ports\": ", f);
	if (s->reserved_ports)
		json_str(f, s->reserved_ports);
	else
		fputs("null", f);
	fputs("\n  },\n  \"sysctl_conf\": [", f);
	for (i = 0; i < s->nconf; i++) {
		fprintf(f, "%s\n    {\"key\": ", i ? "," : "");
		json_str(f, s->conf[i].key);
		fputs(", \"value\": ", f);
		json_str(f, s->conf[i].value);
		fputs(", \"where\": ", f);
		json_str(f, s->conf[i].where);
		fputc('}', f);
	}
	fprintf(f, "%s],\n  \"notes\": [", s->nconf ? "\n  " : "");
	for (i = 0; i < s->nnotes; i++) {
		fputs(i ? ", " : "", f);
		json_str(f, s->notes[i]);
	}
	fputs("]\n}\n", f);
}

static void json_str_or_null(FILE *f, const char *s)
{
	if (s)
		json_str(f, s);
	else
		fputs("null", f);
}

/*
 * --all-netns --json: its own document, since "netns" is the array of
 * namespaces here; each row as tw_netns names its columns, plus who
 * lives there (null where nothing was found, and on the "others" row).
 */
void tw_print_netns_json(FILE *f, const struct twstat_reading *s)
{
	const struct tw_table *t = s->netns_table;
	size_t r, c, rows = tw_table_data_rows(t);

	json_header(f, s, "read_from_netns");
	fputs(",\n  \"netns\": [", f);
	for (r = 0; r < t->nrows; r++) {
		const struct tw_netns_name *n = NULL;
		uint64_t ino;

		fprintf(f, "%s\n    {", r ? "," : "");
		for (c = 0; c < t->ncols; c++) {
			json_cell(f, t, r, c);
			fputs(", ", f);
		}
		if (r < rows && tw_cell_num(t, r, 0, &ino))
			n = tw_netns_name_of(s, ino);
		fputs("\"name\": ", f);
		json_str_or_null(f, n ? n->name : NULL);
		fputs(", \"pid\": ", f);
		if (n && n->pid)
			fprintf(f, "%llu", (unsigned long long)n->pid);
		else
			fputs("null", f);
		fputs(", \"comm\": ", f);
		json_str_or_null(f, n && n->pid ? n->comm : NULL);
		fputs(", \"cgroup\": ", f);
		json_str_or_null(f, n ? n->cgroup : NULL);
		fputc('}', f);
	}
	fprintf(f, "%s]\n}\n", t->nrows ? "\n  " : "");
}
